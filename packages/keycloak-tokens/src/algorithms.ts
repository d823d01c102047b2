// The one algorithm allow-list: JWS algorithms whose verification key is public
// (RFC 7518 §3.1). Keycloak signs access, ID, logout and security event tokens
// with the realm's RS256 key by default; `none` and the HMAC family are never
// accepted (a public key used as an HMAC secret is the algorithm-confusion
// attack). Deployments may narrow the list (KEYCLOAK_ALLOWED_ALGS in the cms).
export const SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** What the realm signs with unless configured otherwise. */
export const DEFAULT_ALGORITHMS: readonly SigningAlgorithm[] = ["RS256"];

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === "string" && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}
