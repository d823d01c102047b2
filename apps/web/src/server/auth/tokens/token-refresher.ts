import "server-only";
import type { Logger } from "../../log/logger";
import type { SessionEndCode, SessionUnavailableCode } from "../auth-error";
import { accessTokenExpired, needsRefresh, refreshTokenExpired } from "./refresh-margin";
import type { RefreshTokenGrant } from "./refresh-token-grant";
import type { StoredSession, TokenStore } from "../store/token-store";
import { SingleFlight } from "@stack/keycloak-tokens";

/** A SessionEndCode means the session was deleted; a SessionUnavailableCode means it was kept. */
export type FreshSession = { ok: true; session: StoredSession } | { ok: false; code: SessionEndCode | SessionUnavailableCode };

export interface TokenRefresherOptions {
  store: TokenStore;
  grant: RefreshTokenGrant;
  logger: Logger;
  marginMs: number;
  lockTtlMs: number;
  successorTtlMs: number;
  /** Upper bound of a stored session's life after each refresh (the cookie's max age). */
  sessionMaxAgeMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenRefresher {
  /**
   * The session with an access token that is not within the refresh margin,
   * refreshing first when needed. Any failure ends the session (deletes it),
   * except a Keycloak outage: while the access token is still valid the
   * session goes on with it; once it has expired the session is kept and the
   * answer is `refresh_unavailable`.
   */
  fresh(sessionId: string): Promise<FreshSession>;
  /**
   * After an API rejected `rejectedAccessToken`: one refresh, unless another
   * request already replaced that token.
   */
  renew(sessionId: string, rejectedAccessToken: string): Promise<FreshSession>;
  /** Ends a session that cannot be used any more. */
  end(sessionId: string, code: SessionEndCode): Promise<FreshSession>;
}

const POLL_START_MS = 25;
const POLL_MAX_MS = 250;

/**
 * Single-flight refresh (docs/decisions/0004-single-flight-refresh-with-rotation.md). Keycloak rotates refresh
 * tokens and drops the session when a rotated one is reused, so a session must
 * never be refreshed twice with the same token:
 *  1. in this process, concurrent callers share one promise per session;
 *  2. across processes, the store's lock admits one refresher, and the winner
 *     leaves a short-lived successor record (old refresh token → new tokens)
 *     that the losers read instead of refreshing themselves.
 * Whoever holds the lock re-reads the session first: a caller holding stale
 * tokens finds them already replaced and uses the replacement.
 */
export function createTokenRefresher(options: TokenRefresherOptions): TokenRefresher {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { store, logger } = options;
  const flights = new SingleFlight<string, FreshSession>();

  const end = async (sessionId: string, code: SessionEndCode): Promise<FreshSession> => {
    await store.delete(sessionId);
    logger.info("session_ended", { code });
    return { ok: false, code };
  };

  /** Is `current` already a replacement of what the caller saw? */
  type Replaced = (current: StoredSession) => boolean;

  async function refreshUnderLock(seen: StoredSession, replaced: Replaced): Promise<FreshSession> {
    const { sessionId } = seen;
    const deadline = now() + options.lockTtlMs + 1_000;
    let pause = POLL_START_MS;
    for (;;) {
      const lock = await store.acquireRefreshLock(sessionId, options.lockTtlMs);
      if (lock) {
        try {
          return await refreshHolding(sessionId, replaced);
        } finally {
          await store.releaseRefreshLock(sessionId, lock);
        }
      }
      // Another instance is refreshing: wait for its result rather than race it.
      if (seen.tokens.refreshToken) {
        const successor = await store.getSuccessor(sessionId, seen.tokens.refreshToken);
        if (successor) return { ok: true, session: { ...seen, tokens: successor } };
      }
      const current = await store.get(sessionId);
      if (!current) return { ok: false, code: "session_not_found" };
      if (replaced(current)) return { ok: true, session: current };
      if (now() >= deadline) {
        return accessTokenExpired(seen.tokens, now()) ? end(sessionId, "refresh_lock_timeout") : { ok: true, session: seen };
      }
      await sleep(pause);
      pause = Math.min(pause * 2, POLL_MAX_MS);
    }
  }

  async function refreshHolding(sessionId: string, replaced: Replaced): Promise<FreshSession> {
    const current = await store.get(sessionId);
    if (!current) return { ok: false, code: "session_not_found" };
    if (replaced(current)) return { ok: true, session: current };
    const { refreshToken } = current.tokens;
    if (!refreshToken || refreshTokenExpired(current.tokens, now())) return end(sessionId, "refresh_token_expired");

    const outcome = await options.grant({ ...current.tokens, refreshToken });
    if (!outcome.ok) {
      if (outcome.code === "refresh_unavailable") {
        // A Keycloak outage must not sign anybody out: a working access token
        // carries on; an expired one leaves the session stored, unusable until
        // Keycloak answers again (its refresh token is still good).
        if (!accessTokenExpired(current.tokens, now())) {
          logger.warn("refresh_deferred", { code: outcome.code });
          return { ok: true, session: current };
        }
        logger.warn("refresh_unavailable", {});
        return { ok: false, code: outcome.code };
      }
      return end(sessionId, outcome.code);
    }
    const tokens = outcome.tokens;
    const next: StoredSession = {
      ...current,
      tokens,
      expiresAt: Math.min(tokens.refreshTokenExpiresAt ?? Number.POSITIVE_INFINITY, now() + options.sessionMaxAgeMs),
    };
    // Successor first: from the moment the session holds the new tokens, a
    // loser may look for the successor of the old refresh token.
    await store.putSuccessor(sessionId, refreshToken, tokens, options.successorTtlMs);
    if (!(await store.update(next))) {
      // A logout deleted the session while we refreshed; do not bring it back.
      return { ok: false, code: "session_not_found" };
    }
    logger.debug("session_refreshed", {});
    return { ok: true, session: next };
  }

  return {
    async fresh(sessionId) {
      const session = await store.get(sessionId);
      if (!session) return { ok: false, code: "session_not_found" };
      if (!needsRefresh(session.tokens, now(), options.marginMs)) return { ok: true, session };
      return flights.run(sessionId, () =>
        refreshUnderLock(
          session,
          (current) =>
            current.tokens.refreshToken !== session.tokens.refreshToken || !needsRefresh(current.tokens, now(), options.marginMs),
        ),
      );
    },

    async renew(sessionId, rejectedAccessToken) {
      const session = await store.get(sessionId);
      if (!session) return { ok: false, code: "session_not_found" };
      if (session.tokens.accessToken !== rejectedAccessToken) return { ok: true, session };
      return flights.run(sessionId, () =>
        refreshUnderLock(session, (current) => current.tokens.accessToken !== rejectedAccessToken),
      );
    },

    end,
  };
}
