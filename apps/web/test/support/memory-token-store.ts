// An in-memory TokenStore for unit tests of code that uses a store. Two
// refreshers sharing one instance behave like two web instances sharing Redis.
import { randomUUID } from "node:crypto";
import type { TokenSet } from "@/server/auth/tokens/token-set";
import type { StoredSession, TokenStore } from "@/server/auth/store/token-store";

export class MemoryTokenStore implements TokenStore {
  readonly kind = "memory" as const;
  readonly sessions = new Map<string, StoredSession>();
  private readonly locks = new Map<string, { token: string; expiresAt: number }>();
  private readonly successors = new Map<string, { tokens: TokenSet; expiresAt: number }>();
  private readonly logoutTokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(sessionId: string) {
    const session = this.sessions.get(sessionId);
    return session && session.expiresAt > this.now() ? structuredClone(session) : null;
  }
  async create(session: StoredSession) {
    this.sessions.set(session.sessionId, structuredClone(session));
  }
  async update(session: StoredSession) {
    if (!this.sessions.has(session.sessionId)) return false;
    this.sessions.set(session.sessionId, structuredClone(session));
    return true;
  }
  async delete(sessionId: string) {
    this.sessions.delete(sessionId);
  }
  async deleteBySid(sid: string) {
    return this.deleteWhere((session) => session.sid === sid);
  }
  async deleteBySub(sub: string) {
    return this.deleteWhere((session) => session.sub === sub);
  }
  async acquireRefreshLock(sessionId: string, ttlMs: number) {
    const held = this.locks.get(sessionId);
    if (held && held.expiresAt > this.now()) return null;
    const token = randomUUID();
    this.locks.set(sessionId, { token, expiresAt: this.now() + ttlMs });
    return token;
  }
  async releaseRefreshLock(sessionId: string, lockToken: string) {
    if (this.locks.get(sessionId)?.token === lockToken) this.locks.delete(sessionId);
  }
  async putSuccessor(sessionId: string, previousRefreshToken: string, tokens: TokenSet, ttlMs: number) {
    this.successors.set(`${sessionId}\0${previousRefreshToken}`, { tokens: structuredClone(tokens), expiresAt: this.now() + ttlMs });
  }
  async getSuccessor(sessionId: string, previousRefreshToken: string) {
    const entry = this.successors.get(`${sessionId}\0${previousRefreshToken}`);
    return entry && entry.expiresAt > this.now() ? structuredClone(entry.tokens) : null;
  }
  async rememberLogoutToken(jti: string, expiresAt: number) {
    const seenUntil = this.logoutTokens.get(jti);
    if (seenUntil !== undefined && seenUntil > this.now()) return false;
    this.logoutTokens.set(jti, expiresAt);
    return true;
  }
  async ping() {}
  async close() {}

  private deleteWhere(match: (session: StoredSession) => boolean): number {
    let removed = 0;
    for (const [id, session] of this.sessions) {
      if (match(session)) {
        this.sessions.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}
