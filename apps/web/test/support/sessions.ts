// Builders for sessions and token sets in unit tests.
import type { TokenSet } from "@/server/auth/tokens/token-set";
import type { StoredSession } from "@/server/auth/store/token-store";

let counter = 0;

export function tokenSet(now: number, overrides: Partial<TokenSet> = {}): TokenSet {
  counter += 1;
  return {
    accessToken: `access-${counter}`,
    refreshToken: `refresh-${counter}`,
    idToken: `id-${counter}`,
    obtainedAt: now,
    accessTokenExpiresAt: now + 300_000,
    refreshTokenExpiresAt: now + 1_800_000,
    ...overrides,
  };
}

export function storedSession(now: number, overrides: Partial<StoredSession> = {}): StoredSession {
  counter += 1;
  return {
    sessionId: `session-${counter}`,
    sid: `kc-sid-${counter}`,
    sub: `user-${counter}`,
    createdAt: now,
    expiresAt: now + 1_800_000,
    tokens: tokenSet(now),
    ...overrides,
  };
}

/** A logger that records events, to assert on codes. */
export function recordingLogger() {
  const events: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (event: string, fields?: Record<string, unknown>) => void events.push({ level, event, fields });
  return { events, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}
