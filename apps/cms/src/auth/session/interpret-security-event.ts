// What a verified SET means for the API. Shapes as Keycloak 26.7's transmitter
// sends them (SSF 1.0 subject in the top-level `sub_id`):
//   user logout           session-revoked, sub_id complex {user: iss_sub, session: opaque <sid>}
//   admin "sign out"      session-revoked, the same with session id "ALL"
//   password reset/change credential-change, sub_id iss_sub
//   verification          ssf verification {state}, sub_id opaque <stream id>
// The session id equals the access token's `sid`.
import { SsfPushError } from "./ssf-push-error";
import type { VerifiedSecurityEventToken } from "./verify-security-event-token";

export const EVENT_TYPES = {
  sessionRevoked: "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
  credentialChange: "https://schemas.openid.net/secevent/caep/event-type/credential-change",
  verification: "https://schemas.openid.net/secevent/ssf/event-type/verification",
} as const;

/** Keycloak's session id for "every session of the user". */
const ALL_SESSIONS = "ALL";

export type SecurityEvent =
  /** Tokens of this session are refused from now on. */
  | { kind: "session"; sub: string | undefined; sid: string }
  /**
   * Tokens of this user issued before `notBefore` (epoch seconds, the event's
   * second) are refused; tokens of that second itself are checked with Keycloak.
   */
  | { kind: "subject"; sub: string; notBefore: number }
  | { kind: "verification"; state: string | undefined }
  /** A type we did not ask for or do not act on: acknowledged, nothing changes (RFC 8935 §2). */
  | { kind: "ignored"; eventType: string };

export function interpretSecurityEvent(set: VerifiedSecurityEventToken, issuer: string): SecurityEvent {
  switch (set.eventType) {
    case EVENT_TYPES.verification:
      return { kind: "verification", state: typeof set.event.state === "string" ? set.event.state : undefined };
    case EVENT_TYPES.sessionRevoked: {
      const { sub, sid } = subjectOf(set.subId, issuer);
      // Every session of the user has ended in Keycloak. Tokens of the event's
      // own second may come from an ended session or from one started right
      // after (the person signing in again): the store has Keycloak decide those.
      if (sid === undefined || sid === ALL_SESSIONS) {
        if (sub === undefined) throw new SsfPushError("invalid_event");
        return { kind: "subject", sub, notBefore: eventTime(set) };
      }
      return { kind: "session", sub, sid };
    }
    case EVENT_TYPES.credentialChange: {
      // CAEP 1.0 §3.2: a credential that is created (a password chosen at
      // registration, a passkey added) makes no existing session suspect; an
      // update, revocation or deletion does.
      if (set.event.change_type === "create") return { kind: "ignored", eventType: set.eventType };
      const { sub } = subjectOf(set.subId, issuer);
      if (sub === undefined) throw new SsfPushError("invalid_event");
      return { kind: "subject", sub, notBefore: eventTime(set) };
    }
    default:
      return { kind: "ignored", eventType: set.eventType };
  }
}

// CAEP 1.0 §2: event_timestamp is when the change happened; the SET's iat when
// it was signed (the outbox may sign later). Tokens carry whole seconds, so a
// token issued in the event's own second may come from either side of it:
// refusing it would refuse the session a person starts right after (signing in
// again, setting a password by reset), accepting it could keep an ended one.
// The cut-off is that second, as Keycloak's own not-before (tokens with iat <
// it are refused), and tokens of the second itself are introspected.
function eventTime(set: VerifiedSecurityEventToken): number {
  const at = set.event.event_timestamp;
  const seconds = typeof at === "number" && Number.isFinite(at) && at > 0 && at <= set.iat ? at : set.iat;
  return Math.floor(seconds);
}

/** RFC 9493 subject identifiers: iss_sub, or complex {user, session}. Only subjects of our realm count. */
function subjectOf(subId: unknown, issuer: string): { sub: string | undefined; sid: string | undefined } {
  if (!isObject(subId)) throw new SsfPushError("invalid_event");
  if (subId.format === "iss_sub") return { sub: issSub(subId, issuer), sid: undefined };
  if (subId.format === "complex") {
    const sub = subId.user === undefined ? undefined : issSub(subId.user, issuer);
    let sid: string | undefined;
    if (subId.session !== undefined) {
      const session = subId.session;
      if (!isObject(session) || session.format !== "opaque" || !isId(session.id)) throw new SsfPushError("invalid_event");
      sid = session.id;
    }
    if (sub === undefined && sid === undefined) throw new SsfPushError("invalid_event");
    return { sub, sid };
  }
  throw new SsfPushError("invalid_event");
}

function issSub(value: unknown, issuer: string): string {
  if (!isObject(value) || value.format !== "iss_sub" || value.iss !== issuer || !isId(value.sub)) throw new SsfPushError("invalid_event");
  return value.sub;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= 255;
}
