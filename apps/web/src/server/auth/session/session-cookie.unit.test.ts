import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readSessionClaims, sessionCookieValue } from "./session-cookie";

// getToken is next-auth's own; counting its calls shows when a cookie is opened again.
const opened = vi.hoisted(() => ({ calls: 0 }));
vi.mock("next-auth/jwt", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth/jwt")>();
  return {
    ...actual,
    getToken: (async (...args: Parameters<typeof actual.getToken>) => {
      opened.calls++;
      return actual.getToken(...args);
    }) as typeof actual.getToken,
  };
});

const config = { webUrl: "http://localhost:3000", authSecret: "a-test-secret-of-at-least-32-characters!!" };
const NAME = "authjs.session-token";

async function cookie(claims: Record<string, unknown>, maxAge = 3600): Promise<string> {
  return encode({ token: claims, secret: config.authSecret, salt: NAME, maxAge });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the session cookie", () => {
  it("its value is the cookie, or its chunks in order; other cookies do not count", () => {
    expect(sessionCookieValue(`other=1; ${NAME}=abc; ${NAME}-x=2`, config)).toBe(`${NAME}=abc`);
    expect(sessionCookieValue(`${NAME}.1=second; csrf=z; ${NAME}.0=first`, config)).toBe(`${NAME}.0=first;${NAME}.1=second`);
    expect(sessionCookieValue("other=1", config)).toBe("");
  });

  it("opens to its claims once; the same cookie again comes from memory; a forged or foreign cookie opens to nothing", async () => {
    const value = await cookie({ sessionId: "s-1", sid: "kc-sid", sub: "user-1", name: "Ada" });
    const header = `other=1; ${NAME}=${value}`;
    const before = opened.calls;
    const claims = await readSessionClaims(header, config);
    expect(claims).toMatchObject({ sessionId: "s-1", sid: "kc-sid", sub: "user-1" });
    expect(await readSessionClaims(`${NAME}=${value}; another=2`, config)).toEqual(claims);
    expect(opened.calls - before).toBe(1);
    expect(await readSessionClaims(`${NAME}=${value.slice(0, -4)}AAAA`, config)).toBeNull();
    const foreign = await encode({ token: { sessionId: "s-2", sub: "u" }, secret: "another-secret-of-at-least-32-characters!", salt: NAME });
    expect(await readSessionClaims(`${NAME}=${foreign}`, config)).toBeNull();
  });

  it("a cookie kept in memory is not honoured past its own expiry", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const value = await cookie({ sessionId: "s-3", sid: "kc-sid-3", sub: "user-3" }, 60);
    expect(await readSessionClaims(`${NAME}=${value}`, config)).toMatchObject({ sessionId: "s-3" });
    // Past the expiry and the 15 s of clock tolerance next-auth allows when it opens one.
    vi.setSystemTime(Date.now() + 120_000);
    expect(await readSessionClaims(`${NAME}=${value}`, config)).toBeNull();
  });
});
