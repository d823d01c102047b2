import { describe, expect, it } from "vitest";
import { authCookies } from "./auth-cookies";
import { sessionCookieName, sessionCookieNames } from "./session-cookie";

describe("next-auth's cookies", () => {
  it("over https: every cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and without Domain", () => {
    const cookies = authCookies({ webUrl: "https://app.example.com" });
    expect(Object.keys(cookies).sort()).toEqual(["callbackUrl", "csrfToken", "nonce", "pkceCodeVerifier", "sessionToken", "state"]);
    for (const [key, cookie] of Object.entries(cookies)) {
      expect(cookie.name, key).toMatch(/^__Host-authjs\./);
      expect(cookie.options, key).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
    }
    expect(cookies.sessionToken.name).toBe("__Host-authjs.session-token");
  });

  it("over http on localhost: next-auth's plain names (a prefixed cookie would be refused without TLS)", () => {
    const cookies = authCookies({ webUrl: "http://localhost:3000" });
    for (const cookie of Object.values(cookies)) {
      expect(cookie.name).toMatch(/^authjs\./);
      expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false });
    }
  });

  it("the session cookie the app reads and clears is the one next-auth writes, chunks included", () => {
    const config = { webUrl: "https://app.example.com" };
    expect(sessionCookieName(config)).toBe(authCookies(config).sessionToken.name);
    const present = ["__Host-authjs.session-token.0", "__Host-authjs.session-token.1", "__Secure-authjs.session-token", "__Host-authjs.csrf-token"];
    expect(sessionCookieNames(present, config)).toEqual(["__Host-authjs.session-token.0", "__Host-authjs.session-token.1"]);
  });
});
