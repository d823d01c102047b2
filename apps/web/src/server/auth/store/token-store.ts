import type { TokenSet } from "../tokens/token-set";

/** One signed-in browser session, as kept on the server. Times are epoch milliseconds. */
export interface StoredSession {
  /** Our session id: random, carried in the encrypted session cookie. */
  sessionId: string;
  /** Keycloak's session id (`sid`), the key of back-channel logout; null if the ID token had none. */
  sid: string | null;
  /** Keycloak's subject (`sub`). */
  sub: string;
  createdAt: number;
  /** After this the stored session is gone, whatever the cookie says. */
  expiresAt: number;
  tokens: TokenSet;
}

/**
 * Where sessions live: the embedded file store by default, Redis when
 * `REDIS_URL` is set. The second group of methods coordinates refreshes
 * between requests and instances (docs/decisions/0004-single-flight-refresh-with-rotation.md).
 */
export interface TokenStore {
  readonly kind: "file" | "redis" | "memory";
  /** The session, or null when it is missing or expired. */
  get(sessionId: string): Promise<StoredSession | null>;
  create(session: StoredSession): Promise<void>;
  /** Replaces an existing session; false when it is gone (a logout won the race), which must not resurrect it. */
  update(session: StoredSession): Promise<boolean>;
  delete(sessionId: string): Promise<void>;
  /** Deletes every session of one Keycloak session; returns how many there were. */
  deleteBySid(sid: string): Promise<number>;
  /** Deletes every session of one user; returns how many there were. */
  deleteBySub(sub: string): Promise<number>;

  /** Takes the session's refresh lock for `ttlMs`; returns a release token, or null when another holder has it. */
  acquireRefreshLock(sessionId: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock if `lockToken` still owns it. */
  releaseRefreshLock(sessionId: string, lockToken: string): Promise<void>;
  /** Records the tokens that replaced `previousRefreshToken`, for requests that lost the race. */
  putSuccessor(sessionId: string, previousRefreshToken: string, tokens: TokenSet, ttlMs: number): Promise<void>;
  getSuccessor(sessionId: string, previousRefreshToken: string): Promise<TokenSet | null>;

  /**
   * Records a back-channel logout token's `jti` until `expiresAt` (epoch ms);
   * false when it was already recorded (a replay). Shared by every instance
   * that shares the store (Back-Channel Logout 1.0 §2.6 step 8).
   */
  rememberLogoutToken(jti: string, expiresAt: number): Promise<boolean>;

  /** Throws when the store cannot be used (health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
