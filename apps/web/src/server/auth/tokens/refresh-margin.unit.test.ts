import { describe, expect, it } from "vitest";
import { accessTokenExpired, effectiveMarginMs, needsRefresh, refreshTokenExpired } from "./refresh-margin";
import type { TokenSet } from "./token-set";

const t0 = 1_000_000;
const tokens = (lifetimeMs: number, refreshLifetimeMs: number | null = 1_800_000): TokenSet => ({
  accessToken: "a",
  refreshToken: "r",
  idToken: "i",
  obtainedAt: t0,
  accessTokenExpiresAt: t0 + lifetimeMs,
  refreshTokenExpiresAt: refreshLifetimeMs === null ? null : t0 + refreshLifetimeMs,
});

describe("refresh margin", () => {
  it("refreshes once the token is within the configured margin of its expiry", () => {
    const fiveMinutes = tokens(300_000);
    expect(needsRefresh(fiveMinutes, t0 + 269_999, 30_000)).toBe(false);
    expect(needsRefresh(fiveMinutes, t0 + 270_000, 30_000)).toBe(true);
    expect(needsRefresh(fiveMinutes, t0 + 400_000, 30_000)).toBe(true);
  });

  it("caps the margin at half the token's lifetime, so short-lived tokens are not refreshed on every request", () => {
    const twentySeconds = tokens(20_000);
    expect(effectiveMarginMs(twentySeconds, 30_000)).toBe(10_000);
    expect(needsRefresh(twentySeconds, t0 + 1, 30_000)).toBe(false);
    expect(needsRefresh(twentySeconds, t0 + 9_999, 30_000)).toBe(false);
    expect(needsRefresh(twentySeconds, t0 + 10_000, 30_000)).toBe(true);
  });

  it("a zero margin refreshes exactly at expiry", () => {
    expect(needsRefresh(tokens(60_000), t0 + 59_999, 0)).toBe(false);
    expect(needsRefresh(tokens(60_000), t0 + 60_000, 0)).toBe(true);
  });

  it("tells expired access and refresh tokens apart; an unknown refresh expiry never expires here", () => {
    expect(accessTokenExpired(tokens(60_000), t0 + 59_999)).toBe(false);
    expect(accessTokenExpired(tokens(60_000), t0 + 60_000)).toBe(true);
    expect(refreshTokenExpired(tokens(60_000, 120_000), t0 + 119_999)).toBe(false);
    expect(refreshTokenExpired(tokens(60_000, 120_000), t0 + 120_000)).toBe(true);
    expect(refreshTokenExpired(tokens(60_000, null), t0 + 10_000_000)).toBe(false);
  });
});
