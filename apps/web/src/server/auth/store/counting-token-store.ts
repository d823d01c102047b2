import type { TokenStore } from "./token-store";

/** A token store that counts its reads, and the count. */
export interface CountedTokenStore {
  store: TokenStore;
  /** Reads so far: `get` and `getSuccessor` calls, whatever they returned. */
  reads(): number;
}

/**
 * `npm run bench` only (WEB_BENCH_ROUTES, refused outside loopback by
 * web-config.ts): wraps a store to count how often a page view reads it. The
 * target is one read per page view (the proxy's; the render gets the
 * proxy's hand-off, session/session-handoff.ts). Every other call passes
 * through unchanged.
 */
export function countTokenStoreReads(inner: TokenStore): CountedTokenStore {
  let reads = 0;
  const store: TokenStore = {
    get kind() {
      return inner.kind;
    },
    get(sessionId) {
      reads++;
      return inner.get(sessionId);
    },
    getSuccessor(sessionId, previousRefreshToken) {
      reads++;
      return inner.getSuccessor(sessionId, previousRefreshToken);
    },
    create: (session) => inner.create(session),
    update: (session) => inner.update(session),
    delete: (sessionId) => inner.delete(sessionId),
    deleteBySid: (sid) => inner.deleteBySid(sid),
    deleteBySub: (sub) => inner.deleteBySub(sub),
    acquireRefreshLock: (sessionId, ttlMs) => inner.acquireRefreshLock(sessionId, ttlMs),
    releaseRefreshLock: (sessionId, lockToken) => inner.releaseRefreshLock(sessionId, lockToken),
    putSuccessor: (sessionId, previousRefreshToken, tokens, ttlMs) => inner.putSuccessor(sessionId, previousRefreshToken, tokens, ttlMs),
    rememberLogoutToken: (jti, expiresAt) => inner.rememberLogoutToken(jti, expiresAt),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, reads: () => reads };
}
