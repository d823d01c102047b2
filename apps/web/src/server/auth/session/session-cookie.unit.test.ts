import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { readSessionClaims, sessionCookieValue } from "./session-cookie";

const config = { webUrl: "http://localhost:3000", authSecret: "a-test-secret-of-at-least-32-characters!!" };
const NAME = "authjs.session-token";

async function cookie(claims: Record<string, unknown>, maxAge = 3600): Promise<string> {
  return encode({ token: claims, secret: config.authSecret, salt: NAME, maxAge });
}

describe("the session cookie", () => {
  it("its value is the cookie, or its chunks in order; other cookies do not count", () => {
    expect(sessionCookieValue(`other=1; ${NAME}=abc; ${NAME}-x=2`, NAME)).toBe(`${NAME}=abc`);
    expect(sessionCookieValue(`${NAME}.1=second; csrf=z; ${NAME}.0=first`, NAME)).toBe(`${NAME}.0=first;${NAME}.1=second`);
    expect(sessionCookieValue("other=1", NAME)).toBe("");
  });

  it("opens to its claims, again from memory; a forged or foreign cookie opens to nothing", async () => {
    const value = await cookie({ sessionId: "s-1", sid: "kc-sid", sub: "user-1", name: "Ada" });
    const header = `other=1; ${NAME}=${value}`;
    const claims = await readSessionClaims(header, config);
    expect(claims).toMatchObject({ sessionId: "s-1", sid: "kc-sid", sub: "user-1" });
    expect(await readSessionClaims(header, config)).toEqual(claims);
    expect(await readSessionClaims(`${NAME}=${value.slice(0, -4)}AAAA`, config)).toBeNull();
    const foreign = await encode({ token: { sessionId: "s-2", sub: "u" }, secret: "another-secret-of-at-least-32-characters!", salt: NAME });
    expect(await readSessionClaims(`${NAME}=${foreign}`, config)).toBeNull();
  });
});
