// @stack/keycloak-tokens: one verification path for everything the realm signs.
//
//   JwksKeyStore           the realm's keys: kept while valid, refetched on an unknown `kid`
//                          (with a cooldown), kept through a Keycloak outage
//   verifyAccessToken      resource-server checks (the cms), a VerifiedAccessToken value;
//   VerifiedTokenCache     its repeats answered from memory
//   verifyLogoutToken      back-channel logout tokens (the web app)
//   verifySecurityEventToken  Shared Signals SETs (the cms's revocation receiver)
//
// Sender-constrained tokens (DPoP, RFC 9449) will get their proof verifier here,
// next to verifyAccessToken, using decodeCompactJws and the same algorithm
// allow-list; the access-token verifier then checks the token's `cnf.jkt`
// against the proof's key (the seam is AccessTokenClaims and KeyResolver).
export { DEFAULT_ALGORITHMS, SIGNING_ALGORITHMS, isSigningAlgorithm, type SigningAlgorithm } from "./algorithms.ts";
export { decodeCompactJws, type DecodedJws } from "./compact-jws.ts";
export { JwksKeyStore, type JwksKeyStoreOptions, type KeyResolver, type VerificationKey } from "./jwks-key-store.ts";
export { parseStrictJson, StrictJsonError } from "./parse-strict-json.ts";
export { SingleFlight } from "./single-flight.ts";
export { TOKEN_ERROR_CODES, TokenError, isTokenErrorCode, type TokenErrorCode } from "./token-error.ts";
export { TtlCache, type TtlCacheOptions } from "./ttl-cache.ts";
export { VerifiedAccessToken, type AccessTokenClaims } from "./verified-access-token.ts";
export { VerifiedTokenCache, type VerifiedTokenCacheOptions, type VersionedKeyResolver } from "./verified-token-cache.ts";
export { verifyAccessToken, type AccessTokenPolicy } from "./verify-access-token.ts";
export { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYPE, verifyLogoutToken, type LogoutTokenPolicy, type VerifiedLogoutToken } from "./verify-logout-token.ts";
export { verifySecurityEventToken, type SecurityEventTokenPolicy, type VerifiedSecurityEventToken } from "./verify-security-event-token.ts";
