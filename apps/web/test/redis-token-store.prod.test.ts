// The Redis token store against a real Redis: the same contract as the file
// store, plus what sharing between instances needs. Runs in the
// production-mode suite, which provides Redis (STACK_REDIS_URL).
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisTestUrl } from "@stack/testkit/prod-stack-env";
import { RedisTokenStore } from "@/server/auth/store/redis-token-store";
import type { RefreshTokenGrant } from "@/server/auth/tokens/refresh-token-grant";
import { createTokenCipher, digest } from "@/server/auth/store/token-cipher";
import { createTokenRefresher } from "@/server/auth/tokens/token-refresher";
import { recordingLogger, storedSession, tokenSet } from "./support/sessions";
import { tokenStoreContract } from "./support/token-store-contract";

const url = redisTestUrl();
// A prefix of its own, so the suite never touches a running deployment's keys.
const prefix = `web-test-${randomUUID().slice(0, 8)}:`;
const cipher = createTokenCipher("redis-test-secret-0123456789abcdef0123");
const stores: RedisTokenStore[] = [];
const newStore = () => {
  const store = new RedisTokenStore({ url, keyPrefix: prefix, cipher });
  stores.push(store);
  return store;
};
let raw: Redis;

beforeAll(() => {
  raw = new Redis(url);
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await raw.quit();
  await Promise.all(stores.map((store) => store.close()));
});

// Redis expires keys on its own clock, so "advance" waits for real.
tokenStoreContract("RedisTokenStore", async () => ({ store: newStore(), advance: (ms) => sleep(ms) }), Date.now);

describe("RedisTokenStore", () => {
  it("keys and values reveal no session id, sid, subject or token", async () => {
    const store = newStore();
    const session = storedSession(Date.now());
    await store.create(session);
    await store.putSuccessor(session.sessionId, session.tokens.refreshToken!, session.tokens, 10_000);
    await store.acquireRefreshLock(session.sessionId, 10_000);
    const keys = await raw.keys(`${prefix}*`);
    const dump = (await Promise.all(keys.map(async (key) => `${key} ${(await raw.type(key)) === "set" ? (await raw.smembers(key)).join(",") : await raw.get(key)}`))).join("\n");
    for (const secret of [session.sessionId, session.sid!, session.sub, session.tokens.accessToken, session.tokens.refreshToken!, session.tokens.idToken!]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("lets Redis expire sessions: the key carries the session's remaining lifetime", async () => {
    const store = newStore();
    const session = storedSession(Date.now(), { expiresAt: Date.now() + 60_000 });
    await store.create(session);
    const ttl = await raw.pttl(`${prefix}session:${digest(session.sessionId)}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // The indexes live as long as their longest session, so they never outlive it by much.
    expect(await raw.pttl(`${prefix}sid:${digest(session.sid!)}`)).toBeLessThanOrEqual(60_000);
  });

  it("a session deleted through one connection is gone for the other (two instances)", async () => {
    const a = newStore();
    const b = newStore();
    const session = storedSession(Date.now(), { sid: `sid-${randomUUID()}` });
    await a.create(session);
    expect(await b.get(session.sessionId)).toEqual(session);
    expect(await b.deleteBySid(session.sid!)).toBe(1);
    expect(await a.get(session.sessionId)).toBeNull();
  });

  it("two refreshers on two connections, 25 concurrent callers each: one refresh, one set of tokens for all", async () => {
    const start = Date.now();
    let calls = 0;
    const grant: RefreshTokenGrant = async () => {
      calls += 1;
      // Long enough that the other instance certainly finds the lock taken.
      await sleep(300);
      return { ok: true, tokens: tokenSet(Date.now(), { accessToken: `rotated-${calls}`, refreshToken: `rotated-refresh-${calls}` }) };
    };
    const options = { grant, marginMs: 30_000, lockTtlMs: 10_000, successorTtlMs: 30_000, sessionMaxAgeMs: 3_600_000, ...recordingLogger() };
    const instanceA = createTokenRefresher({ ...options, store: newStore() });
    const instanceB = createTokenRefresher({ ...options, store: newStore() });
    const session = storedSession(start, { tokens: tokenSet(start, { obtainedAt: start - 300_000, accessTokenExpiresAt: start - 1 }) });
    await stores[0]!.create(session);

    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => instanceA.fresh(session.sessionId)),
      ...Array.from({ length: 25 }, () => instanceB.fresh(session.sessionId)),
    ]);
    expect(calls).toBe(1);
    expect(new Set(results.map((result) => result.ok && result.session.tokens.accessToken))).toEqual(new Set(["rotated-1"]));
  });
});
