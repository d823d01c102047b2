// The closed set of reasons a token of the realm is refused, whatever its kind
// (access, logout, security event). Each app maps these to its own wire codes
// (the cms's AuthError, the web's logout_token_*, the SSF receiver's push
// errors); the verifiers never echo the token.

export const TOKEN_ERROR_CODES = [
  "malformed_token",
  "token_too_large",
  "unsupported_algorithm",
  "unsupported_header",
  "unknown_key",
  "invalid_signature",
  "invalid_issuer",
  "invalid_audience",
  "invalid_authorized_party",
  "invalid_token_type",
  "invalid_claims",
  "token_expired",
  "token_not_yet_valid",
  /** Issued longer ago than the verifier accepts (`iat` past the maximum age). */
  "token_stale",
  /** The `events` claim lacks the event this kind of token must carry. */
  "invalid_events",
  /** A claim this kind of token must not carry (a logout token's `nonce`). */
  "forbidden_claim",
  /** Neither `sub` nor `sid`: nobody to act on. */
  "missing_subject",
  "keys_unavailable",
] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

export class TokenError extends Error {
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode) {
    super(code);
    this.code = code;
    this.name = "TokenError";
  }
}

export function isTokenErrorCode(value: unknown): value is TokenErrorCode {
  return typeof value === "string" && (TOKEN_ERROR_CODES as readonly string[]).includes(value);
}
