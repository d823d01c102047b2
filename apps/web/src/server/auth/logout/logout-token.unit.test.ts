import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { BACKCHANNEL_LOGOUT_EVENT as EVENT, ISSUER, logoutClaims, realmKey, type PrivateKey, type RealmKey } from "../../../../test/support/realm-key";
import { LogoutTokenError, verifyLogoutToken, type LogoutTokenOptions } from "./logout-token";

const now = Date.parse("2026-06-01T12:00:00Z");
const nowSeconds = Math.floor(now / 1000);

let keycloak: RealmKey;
let attackerKey: PrivateKey;
let options: LogoutTokenOptions;

beforeAll(async () => {
  keycloak = await realmKey();
  attackerKey = (await generateKeyPair("RS256")).privateKey;
  options = { issuer: ISSUER, audience: "web", keys: keycloak.keys, maxAgeSeconds: 300, now: () => now };
});

const validClaims = (): JWTPayload => logoutClaims(nowSeconds, { jti: "logout-1", sub: "user-1", sid: "kc-session-1" });

const sign = (claims: JWTPayload, key?: PrivateKey, kid?: string) => keycloak.sign(claims, { key, kid });

async function codeOf(token: unknown): Promise<string> {
  try {
    await verifyLogoutToken(token, options);
    return "accepted";
  } catch (error) {
    if (error instanceof LogoutTokenError) return error.code;
    throw error;
  }
}

describe("logout token verification (OIDC Back-Channel Logout 1.0 §2.6)", () => {
  it("accepts Keycloak's token and names the session and the user", async () => {
    expect(await verifyLogoutToken(await sign(validClaims()), options)).toEqual({
      sid: "kc-session-1",
      sub: "user-1",
      jti: "logout-1",
      expiresAt: (nowSeconds + 60) * 1000,
    });
  });

  it("accepts a token with only sub, or only sid", async () => {
    const { sid: _sid, ...onlySub } = validClaims();
    const { sub: _sub, ...onlySid } = validClaims();
    expect(await verifyLogoutToken(await sign(onlySub), options)).toMatchObject({ sub: "user-1" });
    expect(await verifyLogoutToken(await sign(onlySub), options)).not.toHaveProperty("sid");
    expect(await verifyLogoutToken(await sign(onlySid), options)).toMatchObject({ sid: "kc-session-1" });
    expect(await verifyLogoutToken(await sign(onlySid), options)).not.toHaveProperty("sub");
  });

  it("rejects a forged signature (another key under Keycloak's kid)", async () => {
    expect(await codeOf(await sign(validClaims(), attackerKey))).toBe("logout_token_signature_invalid");
  });

  it("rejects a token whose kid Keycloak does not publish", async () => {
    expect(await codeOf(await sign(validClaims(), undefined, "unknown-kid"))).toBe("logout_token_signature_invalid");
  });

  it("rejects alg none and HS256 signed with the public key", async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${encode(validClaims())}.`;
    expect(await codeOf(unsigned)).toBe("logout_token_signature_invalid");
    const hs256 = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: "HS256", kid: "realm-key" })
      .sign(new TextEncoder().encode(JSON.stringify(keycloak.publicJwk)));
    expect(await codeOf(hs256)).toBe("logout_token_signature_invalid");
  });

  it("rejects the wrong audience (a token for another client)", async () => {
    expect(await codeOf(await sign({ ...validClaims(), aud: "cms" }))).toBe("logout_token_audience_invalid");
  });

  it("rejects the wrong issuer (another realm)", async () => {
    expect(await codeOf(await sign({ ...validClaims(), iss: "http://localhost:8080/realms/other" }))).toBe("logout_token_issuer_invalid");
  });

  it("rejects a missing or wrong events claim", async () => {
    const { events: _events, ...noEvents } = validClaims();
    expect(await codeOf(await sign(noEvents))).toBe("logout_token_events_invalid");
    expect(await codeOf(await sign({ ...validClaims(), events: { "http://example.com/other-event": {} } }))).toBe("logout_token_events_invalid");
    expect(await codeOf(await sign({ ...validClaims(), events: { [EVENT]: "yes" } }))).toBe("logout_token_events_invalid");
  });

  it("rejects a token carrying a nonce (an ID token is not a logout token)", async () => {
    expect(await codeOf(await sign({ ...validClaims(), nonce: "n-0S6_WzA2Mj" }))).toBe("logout_token_nonce_present");
  });

  it("rejects a stale iat and an iat in the future", async () => {
    expect(await codeOf(await sign({ ...validClaims(), iat: nowSeconds - 400, exp: nowSeconds + 60 }))).toBe("logout_token_stale");
    expect(await codeOf(await sign({ ...validClaims(), iat: nowSeconds + 120 }))).toBe("logout_token_stale");
  });

  it("rejects an expired token", async () => {
    expect(await codeOf(await sign({ ...validClaims(), iat: nowSeconds - 100, exp: nowSeconds - 30 }))).toBe("logout_token_expired");
  });

  it("rejects a token that names neither session nor user", async () => {
    const { sid: _sid, sub: _sub, ...neither } = validClaims();
    expect(await codeOf(await sign(neither))).toBe("logout_token_subject_missing");
  });

  it("rejects a token not typed logout+jwt (RFC 8725 §3.11): an ID token's JWT, or no typ at all", async () => {
    const signTyped = (typ: string | undefined) =>
      new SignJWT(validClaims()).setProtectedHeader({ alg: "RS256", kid: keycloak.kid, ...(typ ? { typ } : {}) }).sign(keycloak.privateKey);
    expect(await codeOf(await signTyped("JWT"))).toBe("logout_token_type_invalid");
    expect(await codeOf(await signTyped(undefined))).toBe("logout_token_type_invalid");
    // RFC 8725 §3.11 allows the media type's full form.
    expect(await codeOf(await signTyped("application/logout+jwt"))).toBe("accepted");
  });

  it("rejects a token without exp, iat or jti (§2.4 requires them)", async () => {
    for (const claim of ["exp", "iat", "jti"] as const) {
      const { [claim]: _dropped, ...without } = validClaims();
      expect(await codeOf(await sign(without)), claim).toBe("logout_token_claim_missing");
    }
    expect(await codeOf(await sign({ ...validClaims(), jti: 42 as never }))).toBe("logout_token_claim_missing");
  });

  it("rejects missing and malformed input", async () => {
    expect(await codeOf(undefined)).toBe("logout_token_missing");
    expect(await codeOf("")).toBe("logout_token_missing");
    expect(await codeOf("not.a.jwt")).toBe("logout_token_malformed");
  });
});
