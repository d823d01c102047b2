// A stand-in for the realm's signing key in unit tests: an RS256 key pair, its
// public half as the JWKS Keycloak would publish, and logout tokens signed
// with it (OpenID Connect Back-Channel Logout 1.0 §2.4). No network.
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyObject } from "jose";
import { DEFAULT_ALGORITHMS, JwksKeyStore, type KeyResolver } from "@stack/keycloak-tokens";

export const ISSUER = "http://localhost:8080/realms/app";
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

export type PrivateKey = CryptoKey | KeyObject;

export interface RealmKey {
  readonly kid: string;
  readonly privateKey: PrivateKey;
  /** The public JWK as Keycloak publishes it (`kid`, `alg`, `use`). */
  readonly publicJwk: Record<string, unknown>;
  /** The key set a verifier is given: this key alone. */
  readonly keys: KeyResolver;
  /** Signs `claims` with this key, or with `key` under this key's (or another) `kid`. */
  sign(claims: JWTPayload, options?: { key?: PrivateKey; kid?: string }): Promise<string>;
}

export async function realmKey(kid = "realm-key"): Promise<RealmKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    kid,
    privateKey,
    publicJwk,
    keys: localKeyStore([publicJwk]),
    sign: (claims, options = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: options.kid ?? kid, typ: "logout+jwt" }).sign(options.key ?? privateKey),
  };
}

/** The claims of a logout token from the realm to the `web` client, issued at `nowSeconds`, with `overrides` on top. */
export function logoutClaims(nowSeconds: number, overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: "web",
    iat: nowSeconds - 2,
    exp: nowSeconds + 60,
    jti: crypto.randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...overrides,
  };
}

/** The realm's key store (the one the app uses) over a JWKS served from memory. */
function localKeyStore(published: Record<string, unknown>[]): KeyResolver {
  return new JwksKeyStore({
    jwksUrl: `${ISSUER}/protocol/openid-connect/certs`,
    algorithms: DEFAULT_ALGORITHMS,
    cooldownMs: 30_000,
    maxAgeMs: 5 * 60_000,
    leewayMs: 5_000,
    timeoutMs: 1_000,
    fetch: (async () => Response.json({ keys: published })) as typeof fetch,
  });
}
