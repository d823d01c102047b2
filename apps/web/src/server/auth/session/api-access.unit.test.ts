import { describe, expect, it, vi } from "vitest";
import type { SessionEndCode } from "../auth-error";
import { createApiAccess, type SessionForApi } from "./api-access";

/** Stands in for Next's redirect(), which throws. */
class Redirected extends Error {}

function session(token: string | null, renewals: string[] = []): SessionForApi & { ended: SessionEndCode[] } {
  const ended: SessionEndCode[] = [];
  return {
    ended,
    getAccessToken: async () => token,
    renewAccessToken: vi.fn(async () => {
      const next = renewals.shift();
      return next ? { ok: true as const, accessToken: next } : { ok: false as const, code: "refresh_token_rejected" as const };
    }),
    endSession: async (code) => {
      ended.push(code);
      throw new Redirected(code);
    },
    isSignInUnavailable: async () => false,
    showSignInUnavailable: () => {
      throw new Redirected("sign-in-unavailable");
    },
  };
}

describe("API access (401 → renew once → 401 → end)", () => {
  it("hands out one renewed token per call; the next report ends the session", async () => {
    const current = session("access-1", ["access-2", "access-3"]);
    const access = await createApiAccess(current)("user");
    expect(access.token).toBe("access-1");
    expect(await access.rejected()).toBe("access-2");
    expect(access.token).toBe("access-2");
    await expect(access.rejected()).rejects.toThrow("api_rejected_session");
    expect(current.ended).toEqual(["api_rejected_session"]);
    expect(current.renewAccessToken).toHaveBeenCalledTimes(1);
  });

  it("each call gets its own renewal", async () => {
    const current = session("access-1", ["access-2", "access-3"]);
    const access = createApiAccess(current);
    expect(await (await access("user")).rejected()).toBe("access-2");
    expect(await (await access("user")).rejected()).toBe("access-3");
  });

  it("a 401 to an anonymous call ends the session as not found, without a renewal", async () => {
    const current = session(null);
    const access = await createApiAccess(current)("optional");
    expect(access.token).toBeNull();
    await expect(access.rejected()).rejects.toThrow("session_not_found");
    expect(current.renewAccessToken).not.toHaveBeenCalled();
  });
});
