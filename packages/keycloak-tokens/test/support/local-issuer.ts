// A stand-in for Keycloak in unit tests: locally generated keys, a JWKS, and
// tokens shaped like the realm's access tokens. Nothing here touches the network.
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { JwksKeyStore } from "../../src/jwks-key-store.ts";
import type { AccessTokenPolicy } from "../../src/verify-access-token.ts";

export const ISSUER = "http://keycloak.test/realms/app";
export const JWKS_URL = `${ISSUER}/protocol/openid-connect/certs`;
export const INTROSPECTION_URL = `${ISSUER}/protocol/openid-connect/token/introspect`;
export const NOW_SECONDS = 1_900_000_000;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as Keycloak publishes it. */
  jwk: Record<string, unknown>;
}

export function generateSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" };
  return { kid, privateKey, publicKey, jwk };
}

export const b64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

/** Signs raw header and payload JSON text (so tests can craft duplicates and oddities). */
export function signRaw(headerJson: string, payloadJson: string, key: SigningKey, hash = "RSA-SHA256"): string {
  const signingInput = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  const signature = createSign(hash).update(signingInput).sign(key.privateKey);
  return `${signingInput}.${b64url(signature)}`;
}

export function accessTokenClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exp: NOW_SECONDS + 300,
    iat: NOW_SECONDS - 10,
    jti: "onrtac:7d1d6d7e-0000-4000-8000-000000000001",
    iss: ISSUER,
    aud: ["cms", "account"],
    sub: "4c1f2b6e-0000-4000-8000-00000000a11c",
    typ: "Bearer",
    azp: "web",
    sid: "5d2b6f7e-0000-4000-8000-0000000005e5",
    scope: "openid email profile",
    email_verified: true,
    realm_access: { roles: ["default-roles-app", "user", "offline_access"] },
    name: "Alice Liddell",
    preferred_username: "alice@example.com",
    given_name: "Alice",
    family_name: "Liddell",
    email: "alice@example.com",
    ...overrides,
  };
}

export function signAccessToken(
  key: SigningKey,
  claims: Record<string, unknown> = accessTokenClaims(),
  header: Record<string, unknown> = {},
): string {
  return signRaw(JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.kid, ...header }), JSON.stringify(claims), key);
}

/** A fetch that serves a JWKS and counts calls; `keys` can be swapped to simulate rotation. */
export function jwksFetch(initial: SigningKey[]) {
  const state = { keys: initial.map((key) => key.jwk), calls: 0, fail: false };
  const fetch = (async (input: string | URL | Request) => {
    state.calls++;
    if (state.fail) throw new TypeError("fetch failed");
    if (String(input) !== JWKS_URL) return new Response("not found", { status: 404 });
    return Response.json({ keys: state.keys });
  }) as typeof globalThis.fetch;
  return { fetch, state };
}

/** The CMS's default verification policy for tokens of this issuer. */
export const POLICY: AccessTokenPolicy = {
  issuer: ISSUER,
  audience: "cms",
  allowedAzp: ["web"],
  algorithms: ["RS256"],
  clockLeewaySeconds: 5,
  maxTokenBytes: 8192,
};

/** A key store on this issuer's JWKS with an injected fetch and clock, and sleeps that return at once. */
export function localKeyStore(options: { fetch: typeof globalThis.fetch; now: () => number; cooldownMs?: number }): JwksKeyStore {
  return new JwksKeyStore({
    jwksUrl: JWKS_URL,
    algorithms: ["RS256"],
    cooldownMs: options.cooldownMs ?? 5000,
    maxAgeMs: 300_000,
    leewayMs: 5000,
    timeoutMs: 1000,
    fetch: options.fetch,
    now: options.now,
    sleep: async () => {},
  });
}
