import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";

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
  keys: JWTVerifyGetKey;
  /** Oldest acceptable `iat`, in seconds. */
  maxAgeSeconds: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

/** Whom to sign out: Keycloak sends both when the client requires the session (`backchannel.logout.session.required`). */
export interface LogoutSubject {
  sid?: string;
  sub?: string;
}

/** A verified logout token: whom to sign out, and what identifies the token for replay detection. */
export interface VerifiedLogoutToken extends LogoutSubject {
  jti: string;
  /** `exp`, in epoch milliseconds: the jti must be remembered until then. */
  expiresAt: number;
}

// OpenID Connect Back-Channel Logout 1.0 §2.4: the `events` claim must hold this member.
const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
const CLOCK_TOLERANCE_SECONDS = 5;
// Back-Channel Logout 1.0 final §2.4 and RFC 8725 §3.11: explicit typing keeps
// an ID or access token of the same issuer from passing as a logout token.
// Keycloak 26 sets this header on logout tokens (its token manager maps the
// LOGOUT token category to `logout+jwt`); the integration test checks a real one.
export const LOGOUT_TOKEN_TYPE = "logout+jwt";

/** Validates a logout token as §2.6 of the spec requires; throws `LogoutTokenError`. Replays are the caller's check (it owns the store). */
export async function verifyLogoutToken(token: unknown, options: LogoutTokenOptions): Promise<VerifiedLogoutToken> {
  if (typeof token !== "string" || token.length === 0) throw new LogoutTokenError("logout_token_missing");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, options.keys, {
      issuer: options.issuer,
      audience: options.audience,
      // Keycloak signs with the realm's RS256 key; allowing only that rules out `none` and HS256-with-the-public-key.
      algorithms: ["RS256"],
      typ: LOGOUT_TOKEN_TYPE,
      // §2.4 makes iat and jti required; exp is required too (final spec), and bounds how long a jti is remembered.
      requiredClaims: ["iat", "exp", "jti"],
      maxTokenAge: options.maxAgeSeconds,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: options.now ? new Date(options.now()) : undefined,
    }));
  } catch (error) {
    throw new LogoutTokenError(codeOf(error));
  }
  const events = payload.events;
  if (!isObject(events) || !isObject(events[BACKCHANNEL_LOGOUT_EVENT])) throw new LogoutTokenError("logout_token_events_invalid");
  // §2.4: a nonce is prohibited, so an ID token can never pass as a logout token.
  if ("nonce" in payload) throw new LogoutTokenError("logout_token_nonce_present");
  const sid = typeof payload.sid === "string" && payload.sid.length > 0 ? payload.sid : undefined;
  const sub = typeof payload.sub === "string" && payload.sub.length > 0 ? payload.sub : undefined;
  if (!sid && !sub) throw new LogoutTokenError("logout_token_subject_missing");
  if (typeof payload.jti !== "string" || payload.jti.length === 0) throw new LogoutTokenError("logout_token_claim_missing");
  return { ...(sid ? { sid } : {}), ...(sub ? { sub } : {}), jti: payload.jti, expiresAt: (payload.exp as number) * 1000 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function codeOf(error: unknown): LogoutTokenErrorCode {
  if (error instanceof errors.JWTExpired) return error.claim === "iat" ? "logout_token_stale" : "logout_token_expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return "logout_token_claim_missing";
    if (error.claim === "typ") return "logout_token_type_invalid";
    if (error.claim === "iss") return "logout_token_issuer_invalid";
    if (error.claim === "aud") return "logout_token_audience_invalid";
    if (error.claim === "iat") return "logout_token_stale";
    return "logout_token_malformed";
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return "logout_token_signature_invalid";
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
    return "logout_token_keys_unavailable";
  }
  return "logout_token_malformed";
}
