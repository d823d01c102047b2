import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionEndCode, SessionUnavailableCode } from "../auth/auth-error";

const auth = vi.hoisted(() => ({
  getAccessToken: vi.fn<() => Promise<string | null>>(),
  renewAccessToken: vi.fn<(rejected: string) => Promise<{ ok: true; accessToken: string } | { ok: false; code: SessionEndCode | SessionUnavailableCode }>>(),
  endSession: vi.fn<(code: SessionEndCode) => Promise<never>>(),
  isSignInUnavailable: vi.fn<() => Promise<boolean>>(),
  showSignInUnavailable: vi.fn<() => never>(),
}));
// The real renew-once policy (auth's api-access.ts) over a stand-in for the current session.
vi.mock("../auth", async () => {
  const { createApiAccess } = await import("../auth/session/api-access");
  return { apiAccess: createApiAccess(auth) };
});
vi.mock("../config/web-config", () => ({ webConfig: () => ({ cmsUrl: "http://cms.test", upstreamTimeoutMs: 1_000 }) }));

const { cmsRequest } = await import("./cms-client");
const { CmsError } = await import("./cms-error");

/** Stands in for Next's redirect(), which throws. */
class Redirected extends Error {
  constructor(readonly code: string) {
    super(`redirect: ${code}`);
  }
}

const calls: { url: string; authorization: string | null; method: string; body: string | null }[] = [];
function strapiAnswers(...responses: (() => Response)[]) {
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, authorization: new Headers(init.headers).get("authorization"), method: init.method ?? "GET", body: (init.body as string) ?? null });
    const next = responses.shift();
    if (!next) throw new Error("unexpected call");
    return next();
  });
}

const unauthorized = () => Response.json({ error: { status: 401 }, code: "token_inactive" }, { status: 401 });

beforeEach(() => {
  calls.length = 0;
  vi.resetAllMocks();
  auth.endSession.mockImplementation(async (code) => {
    throw new Redirected(code);
  });
  auth.showSignInUnavailable.mockImplementation(() => {
    throw new Redirected("sign-in-unavailable");
  });
});

describe("CMS client", () => {
  it("sends the current access token and returns the JSON body", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    strapiAnswers(() => Response.json({ data: [] }));
    expect(await cmsRequest("/api/notes", { auth: "user" })).toEqual({ data: [] });
    expect(calls).toEqual([{ url: "http://cms.test/api/notes", authorization: "Bearer access-1", method: "GET", body: null }]);
  });

  it("sends JSON bodies", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    strapiAnswers(() => Response.json({ data: { documentId: "d" } }, { status: 201 }));
    await cmsRequest("/api/notes", { method: "POST", auth: "user", body: { data: { title: "t", body: "b" } } });
    expect(calls[0]).toMatchObject({ method: "POST", body: JSON.stringify({ data: { title: "t", body: "b" } }) });
  });

  it("on 401 refreshes once and retries once with the new token", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    auth.renewAccessToken.mockResolvedValue({ ok: true, accessToken: "access-2" });
    strapiAnswers(unauthorized, () => Response.json({ data: ["ok"] }));
    expect(await cmsRequest("/api/notes", { auth: "user" })).toEqual({ data: ["ok"] });
    expect(auth.renewAccessToken).toHaveBeenCalledExactlyOnceWith("access-1");
    expect(calls.map((call) => call.authorization)).toEqual(["Bearer access-1", "Bearer access-2"]);
  });

  it("a second 401 ends the session instead of retrying again", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    auth.renewAccessToken.mockResolvedValue({ ok: true, accessToken: "access-2" });
    strapiAnswers(unauthorized, unauthorized);
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new Redirected("api_rejected_session"));
    expect(calls).toHaveLength(2);
  });

  it("a failed refresh ends the session with the refresh's code, without a retry", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    auth.renewAccessToken.mockResolvedValue({ ok: false, code: "refresh_token_rejected" });
    strapiAnswers(unauthorized);
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new Redirected("refresh_token_rejected"));
    expect(calls).toHaveLength(1);
  });

  it("without a session, a user route ends the session and a public one goes anonymous", async () => {
    auth.getAccessToken.mockResolvedValue(null);
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new Redirected("session_not_found"));
    strapiAnswers(() => Response.json({ data: [] }));
    await cmsRequest("/api/articles", { auth: "optional" });
    expect(calls).toEqual([{ url: "http://cms.test/api/articles", authorization: null, method: "GET", body: null }]);
  });

  it("sign-in service down: a user route shows the unavailable page and ends nothing; a public one goes anonymous", async () => {
    auth.getAccessToken.mockResolvedValue(null);
    auth.isSignInUnavailable.mockResolvedValue(true);
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new Redirected("sign-in-unavailable"));
    strapiAnswers(() => Response.json({ data: [] }));
    await cmsRequest("/api/articles", { auth: "optional" });
    expect(calls.map((call) => call.authorization)).toEqual([null]);
    expect(auth.endSession).not.toHaveBeenCalled();
  });

  it("a 401 whose refresh finds the sign-in service down shows the unavailable page and ends nothing", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    auth.renewAccessToken.mockResolvedValue({ ok: false, code: "refresh_unavailable" });
    strapiAnswers(unauthorized);
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new Redirected("sign-in-unavailable"));
    expect(auth.endSession).not.toHaveBeenCalled();
  });

  it.each(["keys_unavailable", "revocation_check_unavailable"])("Strapi's 503 %s is the sign-in service being down, not the CMS", async (apiCode) => {
    auth.getAccessToken.mockResolvedValue("access-1");
    strapiAnswers(() => Response.json({ data: null, error: { status: 503, code: apiCode } }, { status: 503 }));
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toMatchObject({ code: "cms_sign_in_unavailable", status: 503 });
  });

  it.each([
    [404, "cms_not_found"],
    [403, "cms_forbidden"],
    [400, "cms_bad_request"],
    [500, "cms_unavailable"],
    [503, "cms_unavailable"],
  ])("maps HTTP %i to %s", async (status, code) => {
    auth.getAccessToken.mockResolvedValue("access-1");
    strapiAnswers(() => Response.json({ error: {} }, { status }));
    await expect(cmsRequest("/api/notes/x", { auth: "user" })).rejects.toMatchObject({ code, status });
  });

  it("maps an unreachable Strapi and a non-JSON answer to codes; 204 is null", async () => {
    auth.getAccessToken.mockResolvedValue("access-1");
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed");
    });
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toEqual(new CmsError("cms_unavailable"));
    strapiAnswers(() => new Response("<html>", { status: 200 }));
    await expect(cmsRequest("/api/notes", { auth: "user" })).rejects.toMatchObject({ code: "cms_invalid_response" });
    strapiAnswers(() => new Response(null, { status: 204 }));
    expect(await cmsRequest("/api/notes/x", { method: "DELETE", auth: "user" })).toBeNull();
  });
});
