import { describe, expect, it } from "vitest";
import { EVENT_TYPES, interpretSecurityEvent } from "../src/auth/session/interpret-security-event";
import { SsfPushError } from "../src/auth/session/ssf-push-error";
import type { VerifiedSecurityEventToken } from "../src/auth/session/verify-security-event-token";

const ISSUER = "http://localhost:8080/realms/app";
const IAT = 1_900_000_000;
const user = { format: "iss_sub", iss: ISSUER, sub: "user-1" };
const set = (eventType: string, event: Record<string, unknown>, subId: unknown): VerifiedSecurityEventToken => ({ jti: "j", iat: IAT, eventType, event, subId });

describe("interpretSecurityEvent (shapes Keycloak 26.7.5 sends)", () => {
  it("user logout: session-revoked with the session id revokes that session", () => {
    const event = set(EVENT_TYPES.sessionRevoked, { event_timestamp: IAT, initiating_entity: "user" }, { format: "complex", user, session: { format: "opaque", id: "sid-1" } });
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "session", sub: "user-1", sid: "sid-1" });
  });

  it("admin sign-out: session id ALL revokes every token of the user issued before the event's second (that second's are introspected)", () => {
    const event = set(EVENT_TYPES.sessionRevoked, { event_timestamp: IAT - 2 }, { format: "complex", user, session: { format: "opaque", id: "ALL" } });
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "subject", sub: "user-1", notBefore: IAT - 2 });
  });

  // Sent by our disabled-user-logout Keycloak extension (docs/decisions/0054-ssf-gaps-and-how-to-fill-them.md).
  it("user disabled or deleted by an admin: session-revoked ALL with initiating_entity admin revokes every token of the user", () => {
    const event = set(
      EVENT_TYPES.sessionRevoked,
      { event_timestamp: IAT, initiating_entity: "admin", reason_admin: { en: "account disabled" } },
      { format: "complex", user, session: { format: "opaque", id: "ALL" } },
    );
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "subject", sub: "user-1", notBefore: IAT });
  });

  it("one session deleted by an admin: session-revoked naming only the session revokes that session", () => {
    const event = set(EVENT_TYPES.sessionRevoked, { event_timestamp: IAT, initiating_entity: "admin" }, { format: "complex", session: { format: "opaque", id: "sid-2" } });
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "session", sub: undefined, sid: "sid-2" });
  });

  it("credential-change (admin reset password) revokes every token of the user issued before the event's second", () => {
    const event = set(EVENT_TYPES.credentialChange, { event_timestamp: IAT + 0.7, credential_type: "password", change_type: "update", initiating_entity: "admin" }, user);
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "subject", sub: "user-1", notBefore: IAT });
  });

  it("credential-change for a created credential (password chosen at registration, passkey added) revokes nothing", () => {
    const event = set(EVENT_TYPES.credentialChange, { event_timestamp: IAT, credential_type: "password", change_type: "create", initiating_entity: "user" }, user);
    expect(interpretSecurityEvent(event, ISSUER)).toEqual({ kind: "ignored", eventType: EVENT_TYPES.credentialChange });
  });

  it("an event_timestamp after the SET's iat is not believed", () => {
    const event = set(EVENT_TYPES.credentialChange, { event_timestamp: IAT + 10_000 }, user);
    expect(interpretSecurityEvent(event, ISSUER)).toMatchObject({ notBefore: IAT });
  });

  it("verification carries its state", () => {
    expect(interpretSecurityEvent(set(EVENT_TYPES.verification, { state: "s" }, { format: "opaque", id: "stream" }), ISSUER)).toEqual({ kind: "verification", state: "s" });
  });

  it("an unknown event type is ignored", () => {
    expect(interpretSecurityEvent(set("https://example.com/x", {}, user), ISSUER)).toEqual({ kind: "ignored", eventType: "https://example.com/x" });
  });

  const refusal = (eventType: string, subId: unknown) => {
    try {
      interpretSecurityEvent(set(eventType, {}, subId), ISSUER);
    } catch (error) {
      return error instanceof SsfPushError ? error.code : "other";
    }
    return "accepted";
  };

  it.each<[string, unknown]>([
    ["no subject", undefined],
    ["a subject of another issuer", { ...user, iss: "https://evil.example" }],
    ["an email subject", { format: "email", email: "a@example.com" }],
  ])("refuses a credential-change with %s", (_name, subId) => {
    expect(refusal(EVENT_TYPES.credentialChange, subId)).toBe("invalid_event");
  });

  it.each<[string, unknown]>([
    ["no subject", undefined],
    ["a user of another issuer", { format: "complex", user: { ...user, iss: "https://evil.example" }, session: { format: "opaque", id: "s" } }],
    ["neither user nor session", { format: "complex" }],
    ["a session that is not opaque", { format: "complex", user, session: { format: "email", id: "x" } }],
    ["session ALL without a user", { format: "complex", session: { format: "opaque", id: "ALL" } }],
  ])("refuses a session-revoked with %s", (_name, subId) => {
    expect(refusal(EVENT_TYPES.sessionRevoked, subId)).toBe("invalid_event");
  });
});
