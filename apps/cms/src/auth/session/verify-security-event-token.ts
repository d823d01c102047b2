// The receiver's side of SET verification: the package verifies the token
// (@stack/keycloak-tokens, the same keys and rules as every token of the
// realm); this maps its refusals to the push error codes of RFC 8935 §2.3 and
// requires exactly one event per SET. Throws SsfPushError; never echoes the token.
import {
  verifySecurityEventToken as verifySet,
  TokenError,
  type KeyResolver,
  type SecurityEventTokenPolicy,
  type TokenErrorCode,
} from "@stack/keycloak-tokens";
import { SsfPushError, type SsfPushErrorCode } from "./ssf-push-error";

export type { SecurityEventTokenPolicy };

/** The verified SET: its one event, still uninterpreted (interpret-security-event.ts). */
export interface VerifiedSecurityEventToken {
  jti: string;
  /** Epoch seconds. */
  iat: number;
  eventType: string;
  event: Readonly<Record<string, unknown>>;
  /** SSF 1.0 §3: the subject, at the top level of the SET. */
  subId: unknown;
}

const PUSH_ERROR_FOR: Record<TokenErrorCode, SsfPushErrorCode> = {
  malformed_token: "malformed_set",
  token_too_large: "malformed_set",
  unsupported_algorithm: "unsupported_algorithm",
  unsupported_header: "unsupported_header",
  invalid_token_type: "invalid_set_type",
  unknown_key: "unknown_key",
  invalid_signature: "invalid_signature",
  keys_unavailable: "keys_unavailable",
  invalid_issuer: "invalid_issuer",
  invalid_audience: "invalid_audience",
  invalid_authorized_party: "invalid_claims",
  invalid_claims: "invalid_claims",
  token_expired: "stale_set",
  token_stale: "stale_set",
  token_not_yet_valid: "future_set",
  invalid_events: "invalid_claims",
  forbidden_claim: "invalid_claims",
  missing_subject: "invalid_claims",
};

export async function verifySecurityEventToken(
  token: string,
  policy: SecurityEventTokenPolicy,
  keys: KeyResolver,
  nowMs: number,
): Promise<VerifiedSecurityEventToken> {
  let verified;
  try {
    verified = await verifySet(token, policy, keys, nowMs);
  } catch (error) {
    if (error instanceof TokenError) throw new SsfPushError(PUSH_ERROR_FOR[error.code]);
    throw error;
  }
  const types = Object.keys(verified.events);
  if (types.length !== 1) throw new SsfPushError("event_count");
  const eventType = types[0]!;
  const event = verified.events[eventType];
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw new SsfPushError("invalid_claims");
  return { jti: verified.jti, iat: verified.iat, eventType, event: event as Record<string, unknown>, subId: verified.subId };
}
