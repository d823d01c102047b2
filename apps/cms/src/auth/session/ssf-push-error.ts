// The closed set of reasons the Shared Signals receiver refuses a push. RFC 8935
// §2.3 fixes the error codes a push response may carry (`err`); `code` is our
// finer reason, for logs and tests; the description never echoes the SET.

/** RFC 8935 §2.3 / RFC 8936 §2.4: the registered push error codes. */
export type PushErrorCode =
  | "invalid_request"
  | "invalid_key"
  | "invalid_issuer"
  | "invalid_audience"
  | "authentication_failed"
  | "access_denied";

const SSF_PUSH_ERRORS = {
  wrong_content_type: ["invalid_request", "A push must be sent as application/secevent+jwt (RFC 8935 §2)."],
  body_too_large: ["invalid_request", "The Security Event Token is larger than this receiver accepts."],
  missing_authorization: ["authentication_failed", "The push carries no Authorization header."],
  wrong_authorization: ["access_denied", "The push's Authorization header is not the one this receiver registered."],
  malformed_set: ["invalid_request", "The body is not a well-formed signed JWT."],
  unsupported_algorithm: ["invalid_request", "The SET's signing algorithm is not accepted (RS256 only)."],
  unsupported_header: ["invalid_request", "The SET's header carries parameters this receiver does not accept."],
  invalid_set_type: ["invalid_request", "The SET's header typ is not secevent+jwt."],
  unknown_key: ["invalid_key", "The SET was signed with a key the issuer does not publish."],
  invalid_signature: ["invalid_key", "The SET's signature is invalid."],
  keys_unavailable: ["invalid_key", "The issuer's signing keys cannot be fetched right now."],
  invalid_issuer: ["invalid_issuer", "The SET was issued by another issuer."],
  invalid_audience: ["invalid_audience", "The SET is not meant for this receiver's stream (aud)."],
  invalid_claims: ["invalid_request", "The SET lacks a required claim or a claim has the wrong type."],
  stale_set: ["invalid_request", "The SET was issued too long ago (iat)."],
  future_set: ["invalid_request", "The SET's iat is in the future."],
  replayed_set: ["invalid_request", "A SET with this jti was received before."],
  event_count: ["invalid_request", "A SET must carry exactly one event."],
  invalid_event: ["invalid_request", "The event lacks a member it needs (subject or session)."],
} as const satisfies Record<string, readonly [PushErrorCode, string]>;

export type SsfPushErrorCode = keyof typeof SSF_PUSH_ERRORS;

/** A refused push; `err` and `description` form the RFC 8935 §2.3 response body. */
export class SsfPushError extends Error {
  readonly err: PushErrorCode;
  constructor(readonly code: SsfPushErrorCode) {
    const [err, description] = SSF_PUSH_ERRORS[code];
    super(description);
    this.name = "SsfPushError";
    this.err = err;
  }

  /** The response body RFC 8935 §2.3 prescribes. */
  toJSON(): { err: PushErrorCode; description: string } {
    return { err: this.err, description: this.message };
  }
}
