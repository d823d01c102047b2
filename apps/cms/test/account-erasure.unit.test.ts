import { describe, expect, it } from "vitest";
import { createAccountErasure } from "../src/account/account-erasure";
import { KeycloakUserDirectory, UserDirectoryError } from "../src/account/keycloak-user-directory";

const OPTIONS = {
  tokenUrl: "http://kc/realms/app/protocol/openid-connect/token",
  usersUrl: "http://kc/admin/realms/app/users",
  clientId: "cms",
  clientSecret: "secret",
  timeoutMs: 1000,
};

function directory(answers: Record<string, number>, calls: string[] = []) {
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    if (url === OPTIONS.tokenUrl) return Response.json({ access_token: "t", expires_in: 300 });
    const status = answers[url.slice(OPTIONS.usersUrl.length + 1)] ?? 500;
    return new Response(status === 200 ? "{}" : null, { status });
  }) as typeof globalThis.fetch;
  return new KeycloakUserDirectory({ ...OPTIONS, fetch, now: () => 0 });
}

describe("KeycloakUserDirectory", () => {
  it("tells a present user (also a disabled one) from a deleted one, reusing its token", async () => {
    const calls: string[] = [];
    const users = directory({ alive: 200, gone: 404 }, calls);
    expect(await users.presence("alive")).toBe("present");
    expect(await users.presence("gone")).toBe("gone");
    expect(calls.filter((url) => url === OPTIONS.tokenUrl)).toHaveLength(1);
  });

  it("throws UserDirectoryError when Keycloak cannot say", async () => {
    const error = await directory({ x: 403 }).presence("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserDirectoryError);
    expect((error as UserDirectoryError).code).toBe("ERR_USER_DIRECTORY");
    const unreachable = new KeycloakUserDirectory({ ...OPTIONS, fetch: (async () => { throw new TypeError("fetch failed"); }) as typeof globalThis.fetch });
    await expect(unreachable.presence("x")).rejects.toBeInstanceOf(UserDirectoryError);
  });
});

describe("createAccountErasure", () => {
  const result = { user: true, notes: 2, articles: 1 };

  it("erases only a user Keycloak no longer has", async () => {
    const erased: string[] = [];
    const erasure = createAccountErasure({
      presence: async (sub) => (sub === "deleted" ? "gone" : "present"),
      erase: async (sub) => (erased.push(sub), result),
    });
    expect(await erasure("disabled")).toBe("kept");
    expect(await erasure("deleted")).toBe("erased");
    expect(erased).toEqual(["deleted"]);
  });

  it("erases nothing when the lookup fails, and lets the failure through (the push answers 503)", async () => {
    const erased: string[] = [];
    const erasure = createAccountErasure({
      presence: async () => {
        throw new UserDirectoryError("user lookup answered 503");
      },
      erase: async (sub) => (erased.push(sub), result),
    });
    await expect(erasure("deleted")).rejects.toBeInstanceOf(UserDirectoryError);
    expect(erased).toEqual([]);
  });
});
