// The behaviour every TokenStore must have, as one suite that each store's
// test file runs against its own store (file store in unit, Redis in the
// production-mode suite).
import { describe, expect, it } from "vitest";
import type { TokenStore } from "@/server/auth/store/token-store";
import { storedSession, tokenSet } from "./sessions";

export interface StoreFixture {
  store: TokenStore;
  /** Moves the store's clock (file store) or waits (Redis, real time). */
  advance(ms: number): Promise<void>;
}

export function tokenStoreContract(name: string, fixture: () => Promise<StoreFixture>, now: () => number): void {
  describe(`${name}: TokenStore contract`, () => {
    it("returns what was created, and null for unknown ids", async () => {
      const { store } = await fixture();
      const session = storedSession(now());
      await store.create(session);
      expect(await store.get(session.sessionId)).toEqual(session);
      expect(await store.get("no-such-session")).toBeNull();
    });

    it("update replaces an existing session but never resurrects a deleted one", async () => {
      const { store } = await fixture();
      const session = storedSession(now());
      await store.create(session);
      const refreshed = { ...session, tokens: tokenSet(now()) };
      expect(await store.update(refreshed)).toBe(true);
      expect((await store.get(session.sessionId))?.tokens).toEqual(refreshed.tokens);
      await store.delete(session.sessionId);
      expect(await store.update(refreshed)).toBe(false);
      expect(await store.get(session.sessionId)).toBeNull();
    });

    it("deleteBySid removes exactly the sessions of that Keycloak session", async () => {
      const { store } = await fixture();
      const a = storedSession(now(), { sid: "shared-sid", sub: "u1" });
      const b = storedSession(now(), { sid: "shared-sid", sub: "u1" });
      const other = storedSession(now(), { sid: "other-sid", sub: "u1" });
      for (const session of [a, b, other]) await store.create(session);
      expect(await store.deleteBySid("shared-sid")).toBe(2);
      expect(await store.get(a.sessionId)).toBeNull();
      expect(await store.get(b.sessionId)).toBeNull();
      expect(await store.get(other.sessionId)).not.toBeNull();
      expect(await store.deleteBySid("shared-sid")).toBe(0);
    });

    it("deleteBySub removes every session of the user, whatever its sid", async () => {
      const { store } = await fixture();
      const sub = `user-${Math.random()}`;
      const a = storedSession(now(), { sub, sid: "s1" });
      const b = storedSession(now(), { sub, sid: null });
      const other = storedSession(now());
      for (const session of [a, b, other]) await store.create(session);
      expect(await store.deleteBySub(sub)).toBe(2);
      expect(await store.get(a.sessionId)).toBeNull();
      expect(await store.get(b.sessionId)).toBeNull();
      expect(await store.get(other.sessionId)).not.toBeNull();
    });

    it("forgets a session once it expires", async () => {
      const { store, advance } = await fixture();
      const session = storedSession(now(), { expiresAt: now() + 1_500 });
      await store.create(session);
      expect(await store.get(session.sessionId)).not.toBeNull();
      await advance(2_000);
      expect(await store.get(session.sessionId)).toBeNull();
    });

    it("admits one lock holder at a time; only the holder releases; an expired lock is free", async () => {
      const { store, advance } = await fixture();
      const first = await store.acquireRefreshLock("s", 1_500);
      expect(first).toEqual(expect.any(String));
      expect(await store.acquireRefreshLock("s", 1_500)).toBeNull();
      await store.releaseRefreshLock("s", "not-the-holder");
      expect(await store.acquireRefreshLock("s", 1_500)).toBeNull();
      await store.releaseRefreshLock("s", first!);
      const second = await store.acquireRefreshLock("s", 1_500);
      expect(second).toEqual(expect.any(String));
      await advance(2_000);
      expect(await store.acquireRefreshLock("s", 1_500)).toEqual(expect.any(String));
      // The first holder's late release must not free the new holder's lock.
      await store.releaseRefreshLock("s", second!);
      expect(await store.acquireRefreshLock("s", 1_500)).toBeNull();
    });

    it("keeps successor tokens under the previous refresh token, for a limited time", async () => {
      const { store, advance } = await fixture();
      const next = tokenSet(now());
      await store.putSuccessor("s", "old-refresh", next, 1_500);
      expect(await store.getSuccessor("s", "old-refresh")).toEqual(next);
      expect(await store.getSuccessor("s", "other-refresh")).toBeNull();
      expect(await store.getSuccessor("other-session", "old-refresh")).toBeNull();
      await advance(2_000);
      expect(await store.getSuccessor("s", "old-refresh")).toBeNull();
    });

    it("remembers a logout token's jti until it expires: the first sight is new, every later one a replay", async () => {
      const { store, advance } = await fixture();
      const jti = `jti-${Math.random()}`;
      expect(await store.rememberLogoutToken(jti, now() + 1_500)).toBe(true);
      expect(await store.rememberLogoutToken(jti, now() + 1_500)).toBe(false);
      expect(await store.rememberLogoutToken(`${jti}-other`, now() + 1_500)).toBe(true);
      await advance(2_000);
      // The token itself has expired by now, so nothing can be replayed with it.
      expect(await store.rememberLogoutToken(jti, now() + 1_500)).toBe(true);
    });
  });
}
