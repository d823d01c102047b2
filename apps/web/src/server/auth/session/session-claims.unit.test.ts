import { describe, expect, it } from "vitest";
import { sessionClaimsFromCookie, sessionClaimsFromProfile } from "./session-claims";

const idTokenClaims = {
  iss: "http://localhost:8080/realms/app",
  aud: "web",
  sub: "f3c1-subject",
  sid: "kc-session",
  nonce: "n",
  at_hash: "hash",
  name: "Alice Liddell",
  given_name: "Alice",
  family_name: "Liddell",
  email: "alice@example.com",
  email_verified: true,
  preferred_username: "alice@example.com",
  realm_access: { roles: ["user"] },
  access_token: "should-never-be-copied",
};

describe("session claims", () => {
  it("keep only the session id, sid, sub and display claims", () => {
    expect(sessionClaimsFromProfile("our-id", idTokenClaims)).toEqual({
      sessionId: "our-id",
      sid: "kc-session",
      sub: "f3c1-subject",
      name: "Alice Liddell",
      email: "alice@example.com",
      username: "alice@example.com",
    });
  });

  it("build a name from given and family names when `name` is missing", () => {
    const { name: _name, ...rest } = idTokenClaims;
    expect(sessionClaimsFromProfile("id", rest)?.name).toBe("Alice Liddell");
  });

  it("refuse a profile without a subject", () => {
    const { sub: _sub, ...rest } = idTokenClaims;
    expect(sessionClaimsFromProfile("id", rest)).toBeNull();
  });

  it("read back only our own cookie shape", () => {
    const claims = sessionClaimsFromProfile("id", idTokenClaims)!;
    expect(sessionClaimsFromCookie({ ...claims, iat: 1, exp: 2, jti: "j" })).toEqual(claims);
    expect(sessionClaimsFromCookie({ name: "x", email: "y", sub: "z" })).toBeNull();
    expect(sessionClaimsFromCookie(null)).toBeNull();
  });
});
