import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SsfPushError, type SsfPushErrorCode } from "../src/auth/session/ssf-push-error";
import { verifySecurityEventToken, type SecurityEventTokenPolicy } from "../src/auth/session/verify-security-event-token";
import { b64url, generateSigningKey, ISSUER, jwksFetch, localKeyStore, NOW_SECONDS, signRaw } from "../../../packages/keycloak-tokens/test/support/local-issuer.ts";

const NOW_MS = NOW_SECONDS * 1000;
const AUDIENCE = "cms/stream-1";
const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const key = generateSigningKey("realm-key-1");
const foreign = generateSigningKey("realm-key-1");
const policy: SecurityEventTokenPolicy = { issuer: ISSUER, audience: () => AUDIENCE, maxAgeSeconds: 300, clockLeewaySeconds: 5 };

// Keycloak 26.7.5's session-revoked SET for a user logout.
const setClaims = (overrides: Record<string, unknown> = {}) => ({
  jti: "4b01e3e5-8820-9108-03ef-6112dd007d19",
  iss: ISSUER,
  iat: NOW_SECONDS,
  aud: AUDIENCE,
  events: { [SESSION_REVOKED]: { event_timestamp: NOW_SECONDS, initiating_entity: "user", reason_admin: { en: "User logout" } } },
  sub_id: {
    format: "complex",
    user: { format: "iss_sub", iss: ISSUER, sub: "user-1" },
    session: { format: "opaque", id: "sid-1" },
  },
  txn: "2fd64253-f859-47a6-81f6-828b3d2b0858",
  ...overrides,
});
const header = (overrides: Record<string, unknown> = {}) => ({ alg: "RS256", typ: "secevent+jwt", kid: key.kid, ...overrides });
const sign = (claims: Record<string, unknown> = setClaims(), h: Record<string, unknown> = header(), signer = key) =>
  signRaw(JSON.stringify(h), JSON.stringify(claims), signer);

const verify = (token: string, p = policy) => verifySecurityEventToken(token, p, localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => NOW_MS }), NOW_MS);

async function refusal(token: string, p = policy): Promise<SsfPushErrorCode> {
  try {
    await verify(token, p);
  } catch (error) {
    if (error instanceof SsfPushError) return error.code;
    throw error;
  }
  throw new Error("accepted");
}

describe("verifySecurityEventToken", () => {
  it("accepts Keycloak's SET and returns its one event and subject", async () => {
    const set = await verify(sign());
    expect(set).toMatchObject({ jti: "4b01e3e5-8820-9108-03ef-6112dd007d19", iat: NOW_SECONDS, eventType: SESSION_REVOKED });
    expect(set.subId).toMatchObject({ format: "complex", session: { id: "sid-1" } });
  });

  it("accepts an aud array that contains the stream audience", async () => {
    await expect(verify(sign(setClaims({ aud: ["other", AUDIENCE] })))).resolves.toBeDefined();
  });

  it.each<[string, () => string, SsfPushErrorCode]>([
    ["not a JWT", () => "not.a jwt", "malformed_set"],
    ["alg none", () => `${b64url(JSON.stringify(header({ alg: "none" })))}.${b64url(JSON.stringify(setClaims()))}.AAAA`, "unsupported_algorithm"],
    [
      "HS256 keyed with the public key",
      () => {
        const input = `${b64url(JSON.stringify(header({ alg: "HS256" })))}.${b64url(JSON.stringify(setClaims()))}`;
        return `${input}.${createHmac("sha256", String(key.jwk.n)).update(input).digest("base64url")}`;
      },
      "unsupported_algorithm",
    ],
    ["jku header", () => sign(setClaims(), header({ jku: "https://evil.example/jwks" })), "unsupported_header"],
    ["typ JWT", () => sign(setClaims(), header({ typ: "JWT" })), "invalid_set_type"],
    ["no typ", () => sign(setClaims(), { alg: "RS256", kid: key.kid }), "invalid_set_type"],
    ["foreign key, same kid", () => sign(setClaims(), header(), foreign), "invalid_signature"],
    ["unknown kid", () => sign(setClaims(), header({ kid: "other" })), "unknown_key"],
    ["wrong iss", () => sign(setClaims({ iss: "https://evil.example/realms/app" })), "invalid_issuer"],
    ["wrong aud", () => sign(setClaims({ aud: "cms/other-stream" })), "invalid_audience"],
    ["stale iat", () => sign(setClaims({ iat: NOW_SECONDS - 400 })), "stale_set"],
    ["future iat", () => sign(setClaims({ iat: NOW_SECONDS + 60 })), "future_set"],
    ["iat not a number", () => sign(setClaims({ iat: "now" })), "invalid_claims"],
    ["no jti", () => sign(setClaims({ jti: undefined })), "invalid_claims"],
    ["two events", () => sign(setClaims({ events: { [SESSION_REVOKED]: {}, other: {} } })), "event_count"],
    ["no events", () => sign(setClaims({ events: {} })), "event_count"],
    ["events an array", () => sign(setClaims({ events: [SESSION_REVOKED] })), "invalid_claims"],
    ["duplicate member names", () => signRaw(JSON.stringify(header()), JSON.stringify(setClaims()).replace('"iss":', '"iss":"x","iss":'), key), "malformed_set"],
  ])("refuses %s", async (_name, token, code) => {
    expect(await refusal(token())).toBe(code);
  });

  it("refuses every SET while the stream audience is not known yet", async () => {
    expect(await refusal(sign(), { ...policy, audience: () => undefined })).toBe("invalid_audience");
  });

  it("maps each refusal to an RFC 8935 error code", () => {
    expect(new SsfPushError("invalid_signature").toJSON()).toEqual({ err: "invalid_key", description: expect.any(String) });
    expect(new SsfPushError("missing_authorization").err).toBe("authentication_failed");
    expect(new SsfPushError("wrong_authorization").err).toBe("access_denied");
    expect(new SsfPushError("invalid_audience").err).toBe("invalid_audience");
  });
});
