import { describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../../../test/support/memory-token-store";
import { recordingLogger, storedSession, tokenSet } from "../../../../test/support/sessions";
import type { RefreshOutcome, RefreshTokenGrant } from "./refresh-token-grant";
import { createTokenRefresher, type TokenRefresherOptions } from "./token-refresher";
import type { StoredSession, TokenStore } from "../store/token-store";

const MARGIN = 30_000;
const t0 = Date.parse("2026-01-01T00:00:00Z");

/** A Keycloak stand-in: counts grants; each answer can be held back until released. */
function fakeKeycloak(clock: () => number, answer: (call: number) => RefreshOutcome | "rotate" = () => "rotate") {
  let calls = 0;
  const gates: (() => void)[] = [];
  let hold = false;
  const grant: RefreshTokenGrant = async () => {
    calls += 1;
    const call = calls;
    if (hold) await new Promise<void>((resolve) => gates.push(resolve));
    const outcome = answer(call);
    return outcome === "rotate" ? { ok: true, tokens: tokenSet(clock(), { accessToken: `rotated-access-${call}`, refreshToken: `rotated-refresh-${call}` }) } : outcome;
  };
  return {
    grant,
    get calls() {
      return calls;
    },
    holdAnswers() {
      hold = true;
    },
    releaseAll() {
      hold = false;
      for (const open of gates.splice(0)) open();
    },
  };
}

function setup(options: { session?: (now: number) => Partial<StoredSession>; answer?: (call: number) => RefreshOutcome | "rotate"; store?: TokenStore } = {}) {
  let clock = t0;
  const now = () => clock;
  const store = options.store ?? new MemoryTokenStore(now);
  const keycloak = fakeKeycloak(now, options.answer);
  const { logger, events } = recordingLogger();
  const base: TokenRefresherOptions = {
    store,
    grant: keycloak.grant,
    logger,
    marginMs: MARGIN,
    lockTtlMs: 10_000,
    successorTtlMs: 30_000,
    sessionMaxAgeMs: 36_000_000,
    now,
    // Losers poll without real waiting; the clock does not move unless a test moves it.
    sleep: () => new Promise((resolve) => setImmediate(resolve)),
  };
  const refresher = createTokenRefresher(base);
  const session = storedSession(t0, options.session?.(t0));
  return {
    store,
    keycloak,
    events,
    refresher,
    session,
    /** A second web instance sharing the same store. */
    anotherInstance: () => createTokenRefresher(base),
    advance: (ms: number) => {
      clock += ms;
    },
    async seed() {
      await store.create(session);
      return session;
    },
  };
}

describe("token refresher", () => {
  it("leaves a token outside the margin alone", async () => {
    const { refresher, keycloak, seed } = setup();
    const session = await seed();
    expect(await refresher.fresh(session.sessionId)).toEqual({ ok: true, session });
    expect(keycloak.calls).toBe(0);
  });

  it("refreshes inside the margin, stores the rotated tokens and records them as successor of the old refresh token", async () => {
    const { refresher, keycloak, store, seed, advance } = setup();
    const session = await seed();
    advance(300_000 - MARGIN);
    const result = await refresher.fresh(session.sessionId);
    expect(keycloak.calls).toBe(1);
    expect(result.ok && result.session.tokens.accessToken).toBe("rotated-access-1");
    expect((await store.get(session.sessionId))?.tokens.refreshToken).toBe("rotated-refresh-1");
    expect((await store.getSuccessor(session.sessionId, session.tokens.refreshToken!))?.accessToken).toBe("rotated-access-1");
  });

  it("extends the stored session to the new refresh token's expiry", async () => {
    const { refresher, store, seed, advance } = setup();
    const session = await seed();
    advance(299_000);
    await refresher.fresh(session.sessionId);
    const stored = await store.get(session.sessionId);
    expect(stored?.expiresAt).toBe(stored?.tokens.refreshTokenExpiresAt);
    expect(stored!.expiresAt).toBeGreaterThan(session.expiresAt);
  });

  it("50 concurrent callers on an expired token cause exactly one refresh, and all get its tokens", async () => {
    const { refresher, keycloak, seed, advance, store } = setup();
    const session = await seed();
    advance(400_000);
    let lockAttempts = 0;
    const acquire = store.acquireRefreshLock.bind(store);
    store.acquireRefreshLock = (...args) => ((lockAttempts += 1), acquire(...args));
    keycloak.holdAnswers();
    const results = Promise.all(Array.from({ length: 50 }, () => refresher.fresh(session.sessionId)));
    await new Promise((resolve) => setImmediate(resolve));
    keycloak.releaseAll();
    const settled = await results;
    expect(keycloak.calls).toBe(1);
    // In one process the callers share one flight: the shared store's lock is asked once, not 50 times.
    expect(lockAttempts).toBe(1);
    expect(new Set(settled.map((result) => result.ok && result.session.tokens.accessToken))).toEqual(new Set(["rotated-access-1"]));
  });

  it("two instances sharing a store refresh once between them; the other reads the winner's tokens", async () => {
    const { refresher, keycloak, seed, advance, anotherInstance } = setup();
    const second = anotherInstance();
    const session = await seed();
    advance(400_000);
    keycloak.holdAnswers();
    const results = Promise.all([
      ...Array.from({ length: 25 }, () => refresher.fresh(session.sessionId)),
      ...Array.from({ length: 25 }, () => second.fresh(session.sessionId)),
    ]);
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    keycloak.releaseAll();
    const settled = await results;
    expect(keycloak.calls).toBe(1);
    expect(settled.every((result) => result.ok && result.session.tokens.accessToken === "rotated-access-1")).toBe(true);
  });

  it("a request that lost the race takes the successor record even before the session itself is updated", async () => {
    const clockStore = new MemoryTokenStore(() => t0 + 400_000);
    let releaseUpdate!: () => void;
    const updateGate = new Promise<void>((resolve) => (releaseUpdate = resolve));
    // The winner's session write is held back: only the successor record can tell the loser.
    const slowUpdates: TokenStore = Object.assign(Object.create(clockStore) as TokenStore, {
      update: async (session: StoredSession) => {
        await updateGate;
        return clockStore.update(session);
      },
    });
    const { refresher, keycloak, anotherInstance, seed, advance } = setup({ store: slowUpdates });
    const second = anotherInstance();
    const session = await seed();
    advance(400_000);
    const winner = refresher.fresh(session.sessionId);
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    const loser = await second.fresh(session.sessionId);
    expect(loser.ok && loser.session.tokens.accessToken).toBe("rotated-access-1");
    expect((await clockStore.get(session.sessionId))?.tokens.accessToken).toBe(session.tokens.accessToken);
    releaseUpdate();
    await winner;
    expect(keycloak.calls).toBe(1);
  });

  it("a caller holding tokens that were replaced meanwhile does not refresh again", async () => {
    const { refresher, keycloak, seed, advance, store } = setup();
    const session = await seed();
    advance(400_000);
    await refresher.fresh(session.sessionId);
    // Another instance rotated the tokens; this instance's next caller sees fresh tokens.
    const again = await refresher.fresh(session.sessionId);
    expect(keycloak.calls).toBe(1);
    expect(again.ok && again.session.tokens).toEqual((await store.get(session.sessionId))?.tokens);
  });

  describe("failures end the session", () => {
    it.each([
      ["refresh_token_rejected", { ok: false, code: "refresh_token_rejected" }],
      ["refresh_client_rejected", { ok: false, code: "refresh_client_rejected" }],
    ] as const)("%s: deleted, every waiting caller told, one call to Keycloak", async (code, outcome) => {
      const { refresher, keycloak, store, seed, advance, events } = setup({ answer: () => outcome });
      const session = await seed();
      advance(299_000);
      const results = await Promise.all(Array.from({ length: 5 }, () => refresher.fresh(session.sessionId)));
      expect(results).toEqual(Array(5).fill({ ok: false, code }));
      expect(keycloak.calls).toBe(1);
      expect(await store.get(session.sessionId)).toBeNull();
      expect(events).toContainEqual(expect.objectContaining({ event: "session_ended", fields: { code } }));
    });

    it("refresh_unavailable with an expired access token: kept, unusable until Keycloak answers again", async () => {
      let keycloakUp = false;
      const { refresher, store, seed, advance, events } = setup({ answer: () => (keycloakUp ? "rotate" : { ok: false, code: "refresh_unavailable" }) });
      const session = await seed();
      advance(300_000);
      expect(await refresher.fresh(session.sessionId)).toEqual({ ok: false, code: "refresh_unavailable" });
      expect(await store.get(session.sessionId)).toEqual(session);
      expect(events).not.toContainEqual(expect.objectContaining({ event: "session_ended" }));

      keycloakUp = true;
      const recovered = await refresher.fresh(session.sessionId);
      expect(recovered.ok).toBe(true);
    });

    it("refresh_unavailable while the access token still works: the session goes on with it", async () => {
      const { refresher, store, seed, advance } = setup({ answer: () => ({ ok: false, code: "refresh_unavailable" }) });
      const session = await seed();
      advance(299_000);
      expect(await refresher.fresh(session.sessionId)).toEqual({ ok: true, session });
      expect(await store.get(session.sessionId)).toEqual(session);
    });

    it("refresh_token_expired: an expired refresh token (SSO idle timeout) is not even sent", async () => {
      const { refresher, keycloak, store, seed, advance } = setup({ session: (now) => ({ tokens: tokenSet(now, { refreshTokenExpiresAt: now + 200_000 }) }) });
      const session = await seed();
      advance(290_000);
      expect(await refresher.fresh(session.sessionId)).toEqual({ ok: false, code: "refresh_token_expired" });
      expect(keycloak.calls).toBe(0);
      expect(await store.get(session.sessionId)).toBeNull();
    });

    it("refresh_token_expired: a session without a refresh token ends with its access token", async () => {
      const { refresher, keycloak, seed, advance } = setup({ session: (now) => ({ tokens: tokenSet(now, { refreshToken: null }) }) });
      const session = await seed();
      advance(300_000);
      expect(await refresher.fresh(session.sessionId)).toEqual({ ok: false, code: "refresh_token_expired" });
      expect(keycloak.calls).toBe(0);
    });

    it("session_not_found: unknown, or deleted by a logout while the refresh ran (and not brought back)", async () => {
      const { refresher, keycloak, store, seed, advance } = setup();
      expect(await refresher.fresh("unknown")).toEqual({ ok: false, code: "session_not_found" });
      const session = await seed();
      advance(299_000);
      keycloak.holdAnswers();
      const result = refresher.fresh(session.sessionId);
      await new Promise((resolve) => setImmediate(resolve));
      await store.deleteBySid(session.sid!);
      keycloak.releaseAll();
      expect(await result).toEqual({ ok: false, code: "session_not_found" });
      expect(await store.get(session.sessionId)).toBeNull();
    });

    it("refresh_lock_timeout: a lock holder that vanished without a successor ends an expired session", async () => {
      const { refresher, keycloak, store, seed, advance } = setup();
      const session = await seed();
      advance(300_000);
      await store.acquireRefreshLock(session.sessionId, 60_000);
      const result = refresher.fresh(session.sessionId);
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
      advance(12_000);
      expect(await result).toEqual({ ok: false, code: "refresh_lock_timeout" });
      expect(keycloak.calls).toBe(0);
      expect(await store.get(session.sessionId)).toBeNull();
    });

    it("a lock held past its lifetime is taken over, so a crashed instance does not block refreshes", async () => {
      const { refresher, keycloak, store, seed, advance } = setup();
      const session = await seed();
      advance(300_000);
      await store.acquireRefreshLock(session.sessionId, 5_000);
      const result = refresher.fresh(session.sessionId);
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
      advance(6_000);
      expect((await result).ok).toBe(true);
      expect(keycloak.calls).toBe(1);
    });
  });

  describe("renew after an API rejected the token", () => {
    it("refreshes once even though the token is not near expiry", async () => {
      const { refresher, keycloak, seed } = setup();
      const session = await seed();
      const results = await Promise.all(Array.from({ length: 10 }, () => refresher.renew(session.sessionId, session.tokens.accessToken)));
      expect(keycloak.calls).toBe(1);
      expect(results.every((result) => result.ok && result.session.tokens.accessToken === "rotated-access-1")).toBe(true);
    });

    it("does not refresh when another request already replaced the rejected token", async () => {
      const { refresher, keycloak, seed } = setup();
      const session = await seed();
      await refresher.renew(session.sessionId, session.tokens.accessToken);
      const again = await refresher.renew(session.sessionId, session.tokens.accessToken);
      expect(keycloak.calls).toBe(1);
      expect(again.ok && again.session.tokens.accessToken).toBe("rotated-access-1");
    });

    it("a rejected refresh ends the session", async () => {
      const { refresher, store, seed } = setup({ answer: () => ({ ok: false, code: "refresh_token_rejected" }) });
      const session = await seed();
      expect(await refresher.renew(session.sessionId, session.tokens.accessToken)).toEqual({ ok: false, code: "refresh_token_rejected" });
      expect(await store.get(session.sessionId)).toBeNull();
    });
  });

  it("end() deletes the session and reports the code", async () => {
    const { refresher, store, seed } = setup();
    const session = await seed();
    expect(await refresher.end(session.sessionId, "api_rejected_session")).toEqual({ ok: false, code: "api_rejected_session" });
    expect(await store.get(session.sessionId)).toBeNull();
  });
});
