// The closed set of reasons the Keycloak strategy refuses a request. Callers and
// tests switch on `code`; the HTTP mapping lives in ../strapi/auth-error-response.ts.
// The token codes are the package's (@stack/keycloak-tokens TokenErrorCode),
// the rest are the cms's own (no token, a revoked session, a blocked user).
import { TokenError, type TokenErrorCode } from "@stack/keycloak-tokens";

export const AUTH_ERROR_MESSAGES = {
  missing_token: "This route needs a Keycloak access token (Authorization: Bearer <token>).",
  malformed_token: "The bearer token is not a well-formed signed JWT.",
  token_too_large: "The bearer token is larger than this API accepts.",
  unsupported_algorithm: "The token's signing algorithm is not accepted.",
  unsupported_header: "The token's header carries parameters this API does not accept (jku, jwk, x5u, x5c, crit).",
  unknown_key: "The token was signed with a key the issuer does not publish.",
  invalid_signature: "The token's signature is invalid.",
  invalid_issuer: "The token was issued by another issuer.",
  invalid_audience: "The token is not meant for this API (aud).",
  invalid_authorized_party: "The token was issued to a client this API does not accept (azp).",
  invalid_token_type: "Only access tokens are accepted; ID, refresh and logout tokens are not.",
  invalid_claims: "The token lacks a required claim or a claim has the wrong type.",
  token_expired: "The access token has expired.",
  token_not_yet_valid: "The access token is not valid yet (nbf or iat in the future).",
  session_revoked: "The Keycloak session behind this token has ended.",
  user_blocked: "This account is blocked in the CMS.",
  keys_unavailable: "The issuer's signing keys cannot be fetched right now; try again shortly.",
  revocation_check_unavailable: "The session cannot be confirmed with Keycloak right now; try again shortly.",
  // Per-client policy and DPoP (apps/cms/src/auth/clients/, apps/cms/src/auth/dpop/).
  session_required: "This client's tokens must come from a sign-in (no Keycloak session id in the token).",
  insufficient_scope: "The token lacks a scope this request needs.",
  dpop_required: "This client must send its token as Authorization: DPoP with a DPoP proof.",
  dpop_bound_token_as_bearer: "A DPoP-bound token must be sent as Authorization: DPoP with a proof, not as Bearer.",
  dpop_token_not_bound: "Authorization: DPoP needs a DPoP-bound token (cnf.jkt).",
  dpop_proof_missing: "Authorization: DPoP needs exactly one DPoP proof header.",
  dpop_proof_invalid: "The DPoP proof is invalid (one proof, typ dpop+jwt, allowed alg, public jwk, signature, htm, htu, iat, jti, ath).",
  dpop_key_mismatch: "The DPoP proof is signed by another key than the one the token is bound to.",
  dpop_proof_replayed: "This DPoP proof was used before.",
} as const;

export type AuthErrorCode = keyof typeof AUTH_ERROR_MESSAGES;

export const AUTH_ERROR_CODES = Object.keys(AUTH_ERROR_MESSAGES) as AuthErrorCode[];

/** Untrusted input or an unavailable dependency; never carries the token. */
export class AuthError extends Error {
  constructor(readonly code: AuthErrorCode) {
    super(AUTH_ERROR_MESSAGES[code]);
    this.name = "AuthError";
  }
}

/** The cms's code for a refusal of the verifier (a token code the access-token verifier never throws maps to invalid_claims). */
function authErrorFrom(error: TokenError): AuthError {
  const code: TokenErrorCode = error.code;
  return new AuthError(isAuthErrorCode(code) ? code : "invalid_claims");
}

/** A refusal of the verifier or of the strategy, as the cms's AuthError; anything else is returned unchanged. */
export function asAuthError(error: unknown): unknown {
  return error instanceof TokenError ? authErrorFrom(error) : error;
}

export function isAuthErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === "string" && Object.hasOwn(AUTH_ERROR_MESSAGES, value);
}
