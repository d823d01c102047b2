import { describe, expect, it } from "vitest";
import { readStepUp } from "../src/auth/step-up/read-step-up";
import { stepUpActionOf } from "../src/auth/step-up/step-up-action";
import { STEP_UP_CLAIMS_STATE } from "../src/auth/step-up/step-up-claims";
import { createStepUpPolicy, STEP_UP_CHALLENGE_STATE } from "../src/auth/step-up/step-up-policy";
import { checkStepUp, DEFAULT_STEP_UP_TABLE, levelOfAcr, stepUpChallenge } from "../src/auth/step-up/step-up-table";
import stepUpChallengeMiddleware from "../src/middlewares/step-up-challenge";

const NOW = 1_800_000_000;

describe("levelOfAcr", () => {
  it("reads the realm's acr names, Keycloak's bare numbers, and nothing else", () => {
    expect(levelOfAcr("password")).toBe(1);
    expect(levelOfAcr("second-factor")).toBe(2);
    expect(levelOfAcr("2")).toBe(2);
    expect(levelOfAcr("0")).toBe(0);
    // Missing, forged or unknown values count as level 0.
    for (const acr of [undefined, "", "gold", "22", "toString", "__proto__", "2 "]) expect(levelOfAcr(acr)).toBe(0);
  });
});

describe("checkStepUp", () => {
  it("lets a level-2 token publish and refuses a level-1 token with acr_values", () => {
    const publish = DEFAULT_STEP_UP_TABLE["article.publish"];
    expect(checkStepUp(publish, { acr: "second-factor", authTime: NOW - 10 }, NOW)).toEqual({ ok: true });
    expect(checkStepUp(publish, { acr: "password", authTime: NOW - 10 }, NOW)).toEqual({
      ok: false,
      acrValues: "second-factor",
      maxAgeSeconds: undefined,
      reason: "level_too_low",
    });
    expect(checkStepUp(DEFAULT_STEP_UP_TABLE["article.read"], { acr: "password", authTime: undefined }, NOW)).toEqual({ ok: true });
  });

  it("asks for a recent authentication when the rule has a max age", () => {
    const rule = { level: 2, maxAgeSeconds: 300 };
    expect(checkStepUp(rule, { acr: "second-factor", authTime: NOW - 300 }, NOW)).toEqual({ ok: true });
    expect(checkStepUp(rule, { acr: "second-factor", authTime: NOW - 301 }, NOW)).toMatchObject({ ok: false, reason: "authentication_too_old", maxAgeSeconds: 300 });
    expect(checkStepUp(rule, { acr: "second-factor", authTime: undefined }, NOW)).toMatchObject({ ok: false, reason: "authentication_too_old" });
  });
});

describe("stepUpChallenge", () => {
  it("is RFC 9470's WWW-Authenticate value", () => {
    expect(stepUpChallenge("second-factor", undefined)).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A stronger or more recent authentication is required for this action.", acr_values="second-factor"',
    );
    expect(stepUpChallenge("second-factor", 300)).toMatch(/, acr_values="second-factor", max_age=300$/);
  });
});

describe("stepUpActionOf", () => {
  it("maps article routes to table entries; create or update is publishing unless ?status=draft", () => {
    expect(stepUpActionOf("api::article.article.find", {})).toBe("article.read");
    expect(stepUpActionOf("api::article.article.findOne", {})).toBe("article.read");
    // Strapi publishes when no status is given.
    expect(stepUpActionOf("api::article.article.create", {})).toBe("article.publish");
    expect(stepUpActionOf("api::article.article.update", {})).toBe("article.publish");
    expect(stepUpActionOf("api::article.article.create", { status: "draft" })).toBe("article.write");
    expect(stepUpActionOf("api::article.article.create", { status: "published" })).toBe("article.publish");
    expect(stepUpActionOf("api::article.article.update", { status: "published" })).toBe("article.publish");
    // Anything but an explicit draft is treated as publishing.
    expect(stepUpActionOf("api::article.article.update", { status: ["draft", "published"] })).toBe("article.publish");
    expect(stepUpActionOf("api::article.article.delete", {})).toBe("article.delete");
    expect(stepUpActionOf("api::note.note.find", {})).toBeUndefined();
    expect(stepUpActionOf(undefined, {})).toBeUndefined();
  });
});

describe("the step-up policy and its challenge middleware", () => {
  const policy = createStepUpPolicy(DEFAULT_STEP_UP_TABLE, () => NOW);
  const context = (handler: string, acr: string | undefined, query: Record<string, unknown> = {}) => ({
    state: { route: { handler }, [STEP_UP_CLAIMS_STATE]: { acr, authTime: NOW - 5 } } as Record<string, unknown> & { route: { handler: string } },
    query,
  });

  it("reads the query from the request: Strapi's policy context has no `query` of its own", () => {
    const state = { route: { handler: "api::article.article.create" }, [STEP_UP_CLAIMS_STATE]: { acr: "password", authTime: NOW - 5 } };
    expect(policy({ state, request: { query: { status: "draft" } } })).toBe(true);
    expect(policy({ state: { ...state }, request: { query: {} } })).toBe(false);
  });

  it("passes requests without a verified token to the route's own permissions", () => {
    expect(policy({ state: { route: { handler: "api::article.article.find" } }, query: {} })).toBe(true);
  });

  it("refuses a level-1 publish and the middleware answers 401 with the challenge", async () => {
    const ctx = context("api::article.article.create", "password", { status: "published" });
    expect(policy(ctx)).toBe(false);
    const response = { state: ctx.state, status: 403, body: {} as unknown, headers: {} as Record<string, string>, set(h: Record<string, string>) { Object.assign(this.headers, h); } };
    // Strapi throws its PolicyError through the middleware.
    await stepUpChallengeMiddleware()(response, async () => {
      throw Object.assign(new Error("Policy Failed"), { name: "PolicyError" });
    });
    expect(response.status).toBe(401);
    expect(response.headers["WWW-Authenticate"]).toContain('error="insufficient_user_authentication"');
    expect(response.headers["WWW-Authenticate"]).toContain('acr_values="second-factor"');
    expect(response.body).toMatchObject({ data: null, error: { status: 401, code: "insufficient_user_authentication", details: { acr_values: "second-factor", reason: "level_too_low" } } });
  });

  it("lets a level-2 token publish and delete, and a level-1 token write drafts and read", () => {
    expect(policy(context("api::article.article.create", "second-factor", { status: "published" }))).toBe(true);
    expect(policy(context("api::article.article.delete", "second-factor"))).toBe(true);
    expect(policy(context("api::article.article.create", "password", { status: "draft" }))).toBe(true);
    expect(policy(context("api::article.article.create", "password"))).toBe(false);
    expect(policy(context("api::article.article.find", "password"))).toBe(true);
    expect(policy(context("api::article.article.delete", "password"))).toBe(false);
  });

  it("refuses a token without acr or with a forged one, and a route missing from the table", () => {
    expect(policy(context("api::article.article.find", undefined))).toBe(false);
    expect(policy(context("api::article.article.delete", "platinum"))).toBe(false);
    const unknown = context("api::note.note.find", "second-factor");
    expect(policy(unknown)).toBe(false);
    expect(unknown.state[STEP_UP_CHALLENGE_STATE]).toBeDefined();
  });

  it("lets other errors through untouched", async () => {
    const response = { state: {}, status: 200, body: {} as unknown, set() {} };
    await expect(stepUpChallengeMiddleware()(response, async () => { throw new Error("boom"); })).rejects.toThrow("boom");
  });

  it("leaves other responses alone", async () => {
    const response = { state: {}, status: 200, body: { data: [] } as unknown, set() { throw new Error("no headers expected"); } };
    await stepUpChallengeMiddleware()(response, async () => {});
    expect(response).toMatchObject({ status: 200, body: { data: [] } });
  });
});

describe("readStepUp (CMS_STEP_UP_LEVELS)", () => {
  it("keeps the default table when unset and overrides named entries", () => {
    expect(readStepUp(undefined, []).table).toEqual(DEFAULT_STEP_UP_TABLE);
    const errors: string[] = [];
    const { table } = readStepUp("article.write=2, article.delete=2:900", errors);
    expect(errors).toEqual([]);
    expect(table["article.write"]).toEqual({ level: 2 });
    expect(table["article.delete"]).toEqual({ level: 2, maxAgeSeconds: 900 });
    expect(table["article.publish"]).toEqual({ level: 2 });
  });

  it("refuses unknown actions, levels the realm does not have, and malformed entries, each with a message", () => {
    const errors: string[] = [];
    readStepUp("note.read=1,article.read=3,article.publish=two,article.delete=0", errors);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toContain('got "note.read=1"');
    expect(errors[1]).toContain("levels 1 and 2");
  });
});
