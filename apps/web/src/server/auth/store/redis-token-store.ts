import "server-only";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { digest, type TokenCipher } from "./token-cipher";
import type { TokenSet } from "../tokens/token-set";
import type { StoredSession, TokenStore } from "./token-store";

export interface RedisTokenStoreOptions {
  url: string;
  /** Prepended to every key, so several deployments can share one Redis. */
  keyPrefix: string;
  cipher: TokenCipher;
  now?: () => number;
}

// Writes a session and adds it to its sid and sub indexes, stretching each
// index's TTL to cover the session. KEYS: session, sid index (optional), sub
// index. ARGV: sealed value, ttl ms, index member, "XX" for update-only.
const WRITE_SESSION = `
local written
if ARGV[4] == "XX" then
  written = redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2], "XX")
else
  written = redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
end
if not written then return 0 end
for i = 2, #KEYS do
  redis.call("SADD", KEYS[i], ARGV[3])
  if redis.call("PTTL", KEYS[i]) < tonumber(ARGV[2]) then redis.call("PEXPIRE", KEYS[i], ARGV[2]) end
end
return 1`;

// Deletes every session listed in an index, then the index. KEYS: index.
// ARGV: session key prefix. Returns how many sessions existed.
const DELETE_INDEXED = `
local removed = 0
for _, member in ipairs(redis.call("SMEMBERS", KEYS[1])) do
  removed = removed + redis.call("DEL", ARGV[1] .. member)
end
redis.call("DEL", KEYS[1])
return removed`;

// Deletes the lock only if the caller still owns it (a lock that expired and
// was taken by another instance must survive the first holder's release).
const RELEASE_LOCK = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0`;

type ScriptedRedis = Redis & {
  writeSession(...args: (string | number)[]): Promise<number>;
  deleteIndexed(index: string, sessionPrefix: string): Promise<number>;
  releaseLock(key: string, token: string): Promise<number>;
};

/**
 * Token store shared by every web instance (docs/decisions/0003-tokens-stay-on-the-server.md). Expiry is
 * Redis's own (`PX`), so nothing needs purging; index sets only outlive their
 * sessions by their longest member. The scripts touch keys they do not
 * declare, which standalone Redis and Sentinel allow and Redis Cluster does not.
 */
export class RedisTokenStore implements TokenStore {
  readonly kind = "redis" as const;
  private readonly redis: ScriptedRedis;
  private readonly now: () => number;

  constructor(private readonly options: RedisTokenStoreOptions) {
    this.now = options.now ?? Date.now;
    const redis = new Redis(options.url, {
      // Fail a request quickly rather than queueing it forever while Redis is down.
      maxRetriesPerRequest: 2,
      connectTimeout: 5_000,
      lazyConnect: true,
    });
    // ioredis reports connection errors through this event; without a listener
    // Node treats them as unhandled. Requests still fail with their own errors.
    redis.on("error", () => {});
    redis.defineCommand("writeSession", { lua: WRITE_SESSION });
    redis.defineCommand("deleteIndexed", { numberOfKeys: 1, lua: DELETE_INDEXED });
    redis.defineCommand("releaseLock", { numberOfKeys: 1, lua: RELEASE_LOCK });
    this.redis = redis as ScriptedRedis;
  }

  async get(sessionId: string): Promise<StoredSession | null> {
    const sealed = await this.redis.get(this.sessionKey(sessionId));
    if (sealed === null) return null;
    const session = this.options.cipher.open<StoredSession>(sealed);
    if (!session || session.sessionId !== sessionId || session.expiresAt <= this.now()) return null;
    return session;
  }

  async create(session: StoredSession): Promise<void> {
    await this.write(session, "NX");
  }

  async update(session: StoredSession): Promise<boolean> {
    return (await this.write(session, "XX")) === 1;
  }

  async delete(sessionId: string): Promise<void> {
    await this.redis.del(this.sessionKey(sessionId));
  }

  deleteBySid(sid: string): Promise<number> {
    return this.redis.deleteIndexed(this.key("sid", sid), this.key("session", ""));
  }

  deleteBySub(sub: string): Promise<number> {
    return this.redis.deleteIndexed(this.key("sub", sub), this.key("session", ""));
  }

  async acquireRefreshLock(sessionId: string, ttlMs: number): Promise<string | null> {
    const lockToken = randomUUID();
    const taken = await this.redis.set(this.key("lock", sessionId), lockToken, "PX", ttlMs, "NX");
    return taken === "OK" ? lockToken : null;
  }

  async releaseRefreshLock(sessionId: string, lockToken: string): Promise<void> {
    await this.redis.releaseLock(this.key("lock", sessionId), lockToken);
  }

  async putSuccessor(sessionId: string, previousRefreshToken: string, tokens: TokenSet, ttlMs: number): Promise<void> {
    await this.redis.set(this.successorKey(sessionId, previousRefreshToken), this.options.cipher.seal(tokens), "PX", ttlMs);
  }

  async getSuccessor(sessionId: string, previousRefreshToken: string): Promise<TokenSet | null> {
    const sealed = await this.redis.get(this.successorKey(sessionId, previousRefreshToken));
    return sealed === null ? null : this.options.cipher.open<TokenSet>(sealed);
  }

  async rememberLogoutToken(jti: string, expiresAt: number): Promise<boolean> {
    const ttlMs = Math.max(1, Math.ceil(expiresAt - this.now()));
    // SET NX is the atomic test-and-set across instances.
    return (await this.redis.set(this.key("logout-jti", jti), "1", "PX", ttlMs, "NX")) === "OK";
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private write(session: StoredSession, mode: "NX" | "XX"): Promise<number> {
    const ttlMs = Math.max(1, Math.ceil(session.expiresAt - this.now()));
    const keys = [this.sessionKey(session.sessionId), this.key("sub", session.sub)];
    if (session.sid !== null) keys.push(this.key("sid", session.sid));
    // "NX" is only a label here: a new session id is random, so plain SET suffices.
    return this.redis.writeSession(keys.length, ...keys, this.options.cipher.seal(session), ttlMs, digest(session.sessionId), mode);
  }

  /** Ids are digested: a Redis key listing reveals no session id, sid or subject. */
  private key(kind: "session" | "sid" | "sub" | "lock" | "logout-jti", id: string): string {
    return `${this.options.keyPrefix}${kind}:${id === "" ? "" : digest(id)}`;
  }

  private sessionKey(sessionId: string): string {
    return this.key("session", sessionId);
  }

  private successorKey(sessionId: string, previousRefreshToken: string): string {
    return `${this.options.keyPrefix}successor:${digest(`${sessionId}\0${previousRefreshToken}`)}`;
  }
}
