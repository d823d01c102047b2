import { describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../../../test/support/memory-token-store";
import { recordingLogger, storedSession, tokenSet } from "../../../../test/support/sessions";
import { endStoredSession } from "./end-stored-session";
import type { KeycloakLogoutOutcome } from "./keycloak-logout";

const now = Date.now();

function logoutRecorder(outcome: KeycloakLogoutOutcome) {
  const sent: string[] = [];
  return { sent, keycloakLogout: async (refreshToken: string) => (sent.push(refreshToken), outcome) };
}

describe("endStoredSession", () => {
  it("deletes the stored session and ends its Keycloak session with its refresh token", async () => {
    const store = new MemoryTokenStore();
    const session = storedSession(now);
    await store.create(session);
    const { sent, keycloakLogout } = logoutRecorder("ended");
    expect(await endStoredSession({ store, keycloakLogout, ...recordingLogger() }, session.sessionId)).toEqual(session);
    expect(store.sessions.size).toBe(0);
    expect(sent).toEqual([session.tokens.refreshToken]);
  });

  it("deletes the stored session even when Keycloak cannot be reached, and says so in the log", async () => {
    const store = new MemoryTokenStore();
    const session = storedSession(now);
    await store.create(session);
    const { logger, events } = recordingLogger();
    await endStoredSession({ store, keycloakLogout: logoutRecorder("unavailable").keycloakLogout, logger }, session.sessionId);
    expect(store.sessions.size).toBe(0);
    expect(events.map((event) => event.event)).toContain("keycloak_logout_unavailable");
  });

  it("calls nothing at Keycloak without a stored session or a refresh token", async () => {
    const store = new MemoryTokenStore();
    const withoutRefresh = storedSession(now, { tokens: tokenSet(now, { refreshToken: null }) });
    await store.create(withoutRefresh);
    const { sent, keycloakLogout } = logoutRecorder("ended");
    expect(await endStoredSession({ store, keycloakLogout, ...recordingLogger() }, "no-such-session")).toBeNull();
    await endStoredSession({ store, keycloakLogout, ...recordingLogger() }, withoutRefresh.sessionId);
    expect(sent).toEqual([]);
    expect(store.sessions.size).toBe(0);
  });
});
