import { describe, expect, it } from "vitest";
import { AuthError } from "../src/auth/token/auth-error";
import { SessionLivenessCheck, type SessionLivenessOptions } from "../src/auth/session/session-liveness-check";
import { VerifiedAccessToken, type AccessTokenClaims } from "@stack/keycloak-tokens";
import type { IntrospectionUnreachablePolicy } from "../src/cms-config";
import { INTROSPECTION_URL, NOW_SECONDS } from "../../../packages/keycloak-tokens/test/support/local-issuer.ts";

/** The verified token the strategy hands to the check. */
const seen = (token: string, tokenClaims: AccessTokenClaims) => new VerifiedAccessToken(token, tokenClaims, tokenClaims.realmRoles);

const claims = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  sub: "user-1",
  sid: "session-1",
  jti: "token-1",
  azp: "web",
  exp: NOW_SECONDS + 300,
  iat: NOW_SECONDS - 10,
  realmRoles: ["user"],
  email: "alice@example.com",
  emailVerified: true,
  preferredUsername: "alice@example.com",
  scopes: [],
  jkt: undefined,
  acr: "password",
  authTime: NOW_SECONDS - 10,
  ...overrides,
});

function setup(policy: IntrospectionUnreachablePolicy = "reads-open", overrides: Partial<SessionLivenessOptions> = {}) {
  const clock = { ms: NOW_SECONDS * 1000 };
  const keycloak = { active: true, reachable: true, calls: 0, lastRequest: undefined as Request | undefined };
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    keycloak.calls++;
    keycloak.lastRequest = new Request(input, init);
    if (!keycloak.reachable) throw new TypeError("fetch failed");
    return Response.json({ active: keycloak.active });
  }) as typeof globalThis.fetch;
  const check = new SessionLivenessCheck({
    introspectionUrl: INTROSPECTION_URL,
    clientId: "cms",
    clientSecret: "s3cret:with/odd chars",
    windowMs: 5000,
    unreachablePolicy: policy,
    maxStalenessMs: 60_000,
    timeoutMs: 1000,
    maxEntries: 100,
    fetch,
    now: () => clock.ms,
    ...overrides,
  });
  return { check, keycloak, clock };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "passed",
    (error: unknown) => (error instanceof AuthError ? error.code : String(error)),
  );

describe("SessionLivenessCheck", () => {
  it("introspects as the cms client (RFC 7662) and trusts the answer for the window, per session", async () => {
    const { check, keycloak, clock } = setup();
    await check.check(seen("token-a", claims()), true);
    await check.check(seen("token-b", claims({ jti: "token-2" })), false);
    expect(keycloak.calls).toBe(1);

    const request = keycloak.lastRequest!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(INTROSPECTION_URL);
    const expected = `Basic ${Buffer.from("cms:s3cret%3Awith%2Fodd%20chars").toString("base64")}`;
    expect(request.headers.get("authorization")).toBe(expected);
    const body = new URLSearchParams(await request.text());
    expect(body.get("token")).toBe("token-a");
    expect(body.get("token_type_hint")).toBe("access_token");

    clock.ms += 5000;
    await check.check(seen("token-a", claims()), true);
    expect(keycloak.calls).toBe(2);
  });

  it("rejects a token whose session Keycloak reports inactive, within the window", async () => {
    const { check, keycloak, clock } = setup();
    await check.check(seen("token-a", claims()), true);
    keycloak.active = false;
    await check.check(seen("token-a", claims()), true);
    clock.ms += 5000;
    expect(await codeOf(check.check(seen("token-a", claims()), true))).toBe("session_revoked");
    // Remembered per token: no second call for the same token.
    expect(await codeOf(check.check(seen("token-a", claims()), true))).toBe("session_revoked");
    expect(keycloak.calls).toBe(2);
  });

  it("keys refusals by token, so a session's newer token is asked about afresh", async () => {
    const { check, keycloak } = setup();
    keycloak.active = false;
    expect(await codeOf(check.check(seen("old", claims({ jti: "old" })), true))).toBe("session_revoked");
    keycloak.active = true;
    expect(await codeOf(check.check(seen("new", claims({ jti: "new" })), true))).toBe("passed");
  });

  it("collapses concurrent checks of one token into one call", async () => {
    const { check, keycloak } = setup();
    await Promise.all(Array.from({ length: 20 }, () => check.check(seen("token-a", claims()), true)));
    expect(keycloak.calls).toBe(1);
  });

  it("does nothing with a window of 0", async () => {
    const { check, keycloak } = setup("closed", { windowMs: 0 });
    keycloak.active = false;
    await check.check(seen("token-a", claims()), false);
    expect(keycloak.calls).toBe(0);
  });

  describe("when Keycloak is unreachable", () => {
    it("reads-open: reads pass while the last confirmation is recent, writes fail with 503 codes", async () => {
      const { check, keycloak, clock } = setup("reads-open");
      await check.check(seen("token-a", claims()), true);
      keycloak.reachable = false;
      clock.ms += 30_000;
      expect(await codeOf(check.check(seen("token-a", claims()), true))).toBe("passed");
      expect(await codeOf(check.check(seen("token-a", claims()), false))).toBe("revocation_check_unavailable");
      clock.ms += 31_000;
      expect(await codeOf(check.check(seen("token-a", claims()), true))).toBe("revocation_check_unavailable");
    });

    it("reads-open: a never-confirmed token counts from its iat", async () => {
      const { check, keycloak } = setup("reads-open");
      keycloak.reachable = false;
      expect(await codeOf(check.check(seen("t", claims({ iat: NOW_SECONDS - 10 })), true))).toBe("passed");
      expect(await codeOf(check.check(seen("t", claims({ iat: NOW_SECONDS - 600, jti: "x" })), true))).toBe(
        "revocation_check_unavailable",
      );
    });

    it("closed: everything fails; open: everything passes", async () => {
      const closed = setup("closed");
      closed.keycloak.reachable = false;
      expect(await codeOf(closed.check.check(seen("t", claims()), true))).toBe("revocation_check_unavailable");
      const open = setup("open");
      open.keycloak.reachable = false;
      expect(await codeOf(open.check.check(seen("t", claims()), false))).toBe("passed");
    });

    it("treats an error status (e.g. wrong client secret) as unreachable, not as a revoked session", async () => {
      const fetch = (async () => new Response("unauthorized", { status: 401 })) as typeof globalThis.fetch;
      const reasons: string[] = [];
      const { check } = setup("closed", { fetch, onUnreachable: (reason) => reasons.push(reason) });
      expect(await codeOf(check.check(seen("t", claims()), true))).toBe("revocation_check_unavailable");
      expect(reasons).toEqual(["introspection answered 401"]);
    });
  });
});
