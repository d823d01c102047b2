// The web app's side of logout-token verification: the package verifies the
// token (@stack/keycloak-tokens, the same key store, algorithm allow-list and
// strict parsing as every token of the realm); this keeps the endpoint's wire
// codes (`logout_token_*`, docs/decisions/0036) and the checks only the
// endpoint can make (a token is present; replays are the caller's, it owns the store).
import { DEFAULT_ALGORITHMS, TokenError, verifyLogoutToken as verify, type KeyResolver, type TokenErrorCode, type VerifiedLogoutToken } from "@stack/keycloak-tokens";

export type LogoutTokenErrorCode =
  | "logout_token_missing"
  | "logout_token_malformed"
  | "logout_token_type_invalid"
  | "logout_token_claim_missing"
  | "logout_token_replayed"
  | "logout_token_signature_invalid"
  | "logout_token_issuer_invalid"
  | "logout_token_audience_invalid"
  | "logout_token_expired"
  | "logout_token_stale"
  | "logout_token_events_invalid"
  | "logout_token_nonce_present"
  | "logout_token_subject_missing"
  | "logout_token_keys_unavailable";

export class LogoutTokenError extends Error {
  constructor(readonly code: LogoutTokenErrorCode) {
    super(code);
    this.name = "LogoutTokenError";
  }
}

export interface LogoutTokenOptions {
  /** Expected `iss`: the realm's public issuer. */
  issuer: string;
  /** Expected `aud`: our client id. */
  audience: string;
  /** The realm's signing keys (a JwksKeyStore, shared by the process). */
  keys: KeyResolver;
  /** Oldest acceptable `iat`, in seconds. */
  maxAgeSeconds: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

const CLOCK_TOLERANCE_SECONDS = 5;

const WIRE_CODE: Record<TokenErrorCode, LogoutTokenErrorCode> = {
  malformed_token: "logout_token_malformed",
  token_too_large: "logout_token_malformed",
  unsupported_header: "logout_token_malformed",
  invalid_authorized_party: "logout_token_malformed",
  // Only RS256 (the realm's key): `none` and HS256-with-the-public-key fail as signatures.
  unsupported_algorithm: "logout_token_signature_invalid",
  unknown_key: "logout_token_signature_invalid",
  invalid_signature: "logout_token_signature_invalid",
  invalid_issuer: "logout_token_issuer_invalid",
  invalid_audience: "logout_token_audience_invalid",
  invalid_token_type: "logout_token_type_invalid",
  invalid_claims: "logout_token_claim_missing",
  token_expired: "logout_token_expired",
  token_stale: "logout_token_stale",
  token_not_yet_valid: "logout_token_stale",
  invalid_events: "logout_token_events_invalid",
  forbidden_claim: "logout_token_nonce_present",
  missing_subject: "logout_token_subject_missing",
  keys_unavailable: "logout_token_keys_unavailable",
};

// An unsigned token (`alg` none, empty third segment) is not even compact JWS
// to the verifier; this endpoint has always reported it as a failed signature.
const UNSIGNED = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/;

/** Validates a logout token as §2.6 of the spec requires; throws `LogoutTokenError`. Replays are the caller's check (it owns the store). */
export async function verifyLogoutToken(token: unknown, options: LogoutTokenOptions): Promise<VerifiedLogoutToken> {
  if (typeof token !== "string" || token.length === 0) throw new LogoutTokenError("logout_token_missing");
  if (UNSIGNED.test(token)) throw new LogoutTokenError("logout_token_signature_invalid");
  const policy = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: DEFAULT_ALGORITHMS,
    maxAgeSeconds: options.maxAgeSeconds,
    clockLeewaySeconds: CLOCK_TOLERANCE_SECONDS,
  };
  try {
    return await verify(token, policy, options.keys, options.now?.() ?? Date.now());
  } catch (error) {
    if (error instanceof TokenError) throw new LogoutTokenError(WIRE_CODE[error.code]);
    throw error;
  }
}
