import { describe, expect, it } from "vitest";
import { authCookies, callbackCookieHeader, signInAttemptId } from "./auth-cookies";
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

  it("each sign-in attempt's PKCE, state and nonce cookies carry the attempt's id; the others keep their names", () => {
    const id = signInAttemptId("state-a");
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(signInAttemptId("state-b")).not.toBe(id);
    const cookies = authCookies({ webUrl: "https://app.example.com" }, id);
    expect(cookies.pkceCodeVerifier.name).toBe(`__Host-authjs.pkce.code_verifier.${id}`);
    expect(cookies.state.name).toBe(`__Host-authjs.state.${id}`);
    expect(cookies.nonce.name).toBe(`__Host-authjs.nonce.${id}`);
    expect(cookies.sessionToken.name).toBe("__Host-authjs.session-token");
  });

  it("a callback gets its own attempt's cookies under next-auth's names, whatever another tab left there", () => {
    const config = { webUrl: "http://localhost:3000" };
    const a = signInAttemptId("state-a");
    const b = signInAttemptId("state-b");
    const header = [
      "authjs.session-token=s",
      "authjs.pkce.code_verifier=stale",
      `authjs.pkce.code_verifier.${a}=pkce-a`,
      `authjs.state.${a}=state-a-sealed`,
      `authjs.nonce.${a}=nonce-a`,
      `authjs.pkce.code_verifier.${b}=pkce-b`,
      `authjs.state.${b}=state-b-sealed`,
    ].join("; ");
    const { cookieHeader, consumed } = callbackCookieHeader(header, "state-a", config);
    expect(cookieHeader.split("; ").sort()).toEqual(
      [
        "authjs.session-token=s",
        `authjs.pkce.code_verifier.${b}=pkce-b`,
        `authjs.state.${b}=state-b-sealed`,
        "authjs.pkce.code_verifier=pkce-a",
        "authjs.state=state-a-sealed",
        "authjs.nonce=nonce-a",
        `authjs.pkce.code_verifier.${a}=pkce-a`,
        `authjs.state.${a}=state-a-sealed`,
        `authjs.nonce.${a}=nonce-a`,
      ].sort(),
    );
    expect(consumed).toEqual([`authjs.pkce.code_verifier.${a}`, `authjs.state.${a}`, `authjs.nonce.${a}`]);
  });

  it("a callback of an attempt without cookies of its own (started before this release) gets the header unchanged", () => {
    const header = "authjs.pkce.code_verifier=v; authjs.state=s";
    expect(callbackCookieHeader(header, "state-x", { webUrl: "http://localhost:3000" })).toEqual({ cookieHeader: header, consumed: [] });
  });
});
