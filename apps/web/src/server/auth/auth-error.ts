/**
 * Why a session ended or could not be used. A closed set: callers switch on
 * `code`, tests assert it, and the sign-in page may explain it.
 */
export type SessionEndCode =
  /** No stored session: signed out, ended by back-channel logout, or purged after expiry. */
  | "session_not_found"
  /** The refresh token passed its expiry: the Keycloak session went idle or reached its maximum age. */
  | "refresh_token_expired"
  /** Keycloak answered `invalid_grant`: session revoked, user disabled, or a rotated token reused. */
  | "refresh_token_rejected"
  /** Keycloak rejected the web client's own credentials (`invalid_client`, `unauthorized_client`). */
  | "refresh_client_rejected"
  /** Another request held the refresh lock past its lifetime and left no successor tokens. */
  | "refresh_lock_timeout"
  /** Strapi still answered 401 after one refresh. */
  | "api_rejected_session";

const SESSION_END_CODES: readonly SessionEndCode[] = [
  "session_not_found",
  "refresh_token_expired",
  "refresh_token_rejected",
  "refresh_client_rejected",
  "refresh_lock_timeout",
  "api_rejected_session",
];

/**
 * Why a session that is still alive cannot be used for this request. The
 * session is kept and works again once the cause is gone: an outage of the
 * sign-in service must not sign anybody out.
 */
export type SessionUnavailableCode =
  /** The access token has expired and Keycloak is unreachable (or answered unusably), so it cannot be renewed now. */
  "refresh_unavailable";

export function isSessionEndCode(value: unknown): value is SessionEndCode {
  return typeof value === "string" && (SESSION_END_CODES as readonly string[]).includes(value);
}
