import type { TokenSet } from "./token-set";

/**
 * The margin actually applied: the configured one, but never more than half
 * the token's lifetime, so a short-lived token (tests use 20 s) is not
 * refreshed on every request when the margin is larger than its lifetime.
 */
export function effectiveMarginMs(tokens: TokenSet, marginMs: number): number {
  const lifetime = Math.max(0, tokens.accessTokenExpiresAt - tokens.obtainedAt);
  return Math.min(marginMs, lifetime / 2);
}

/** True once the access token is within the refresh margin of its expiry (or past it). */
export function needsRefresh(tokens: TokenSet, now: number, marginMs: number): boolean {
  return now >= tokens.accessTokenExpiresAt - effectiveMarginMs(tokens, marginMs);
}

export function accessTokenExpired(tokens: TokenSet, now: number): boolean {
  return now >= tokens.accessTokenExpiresAt;
}

export function refreshTokenExpired(tokens: TokenSet, now: number): boolean {
  return tokens.refreshTokenExpiresAt !== null && now >= tokens.refreshTokenExpiresAt;
}
