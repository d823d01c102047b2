// The CMS client and RFC 9470: a step-up challenge is not a dead session.
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

const { cmsRequest } = await import("../cms/cms-client");
const { StepUpRequiredError } = await import("./step-up-challenge");

const challenge = 'Bearer error="insufficient_user_authentication", error_description="A stronger or more recent authentication is required for this action.", acr_values="second-factor"';

beforeEach(() => {
  vi.resetAllMocks();
  auth.getAccessToken.mockResolvedValue("level-1-token");
});

describe("cmsRequest and step-up challenges", () => {
  it("throws StepUpRequiredError with the challenge, without refreshing or ending the session", async () => {
    let calls = 0;
    vi.stubGlobal("fetch", async () => {
      calls += 1;
      return Response.json({ data: null, error: { status: 401, code: "insufficient_user_authentication" } }, { status: 401, headers: { "www-authenticate": challenge } });
    });
    const failure = await cmsRequest("/api/articles/x?status=published", { method: "PUT", auth: "user", body: { data: {} } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepUpRequiredError);
    expect((failure as InstanceType<typeof StepUpRequiredError>).challenge).toEqual({ acrValues: "second-factor" });
    expect(calls).toBe(1);
    expect(auth.renewAccessToken).not.toHaveBeenCalled();
    expect(auth.endSession).not.toHaveBeenCalled();
  });

  it("still renews once on an invalid_token 401", async () => {
    const answers = [
      () => Response.json({ error: { status: 401 } }, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } }),
      () => Response.json({ data: [] }),
    ];
    vi.stubGlobal("fetch", async () => answers.shift()!());
    auth.renewAccessToken.mockResolvedValue({ ok: true, accessToken: "renewed" });
    expect(await cmsRequest("/api/articles", { auth: "optional" })).toEqual({ data: [] });
    expect(auth.renewAccessToken).toHaveBeenCalledTimes(1);
  });
});
