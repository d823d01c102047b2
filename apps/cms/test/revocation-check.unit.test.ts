import { describe, expect, it, vi } from "vitest";
import { AuthError } from "../src/auth/token/auth-error";
import { VerifiedAccessToken, type AccessTokenClaims } from "@stack/keycloak-tokens";
import { RevocationCheck } from "../src/auth/session/revocation-check";
import type { RevocationMode } from "../src/cms-config";

/** The verified token the strategy hands to the check. */
const seen = (token: string, tokenClaims: AccessTokenClaims) => new VerifiedAccessToken(token, tokenClaims, tokenClaims.realmRoles);

const claims = { sub: "user-1", sid: "sid-1", iat: 100 } as AccessTokenClaims;

function setup(mode: RevocationMode, state: { loaded?: boolean; healthy?: boolean; revoked?: boolean | "uncertain"; backstop?: boolean; resumedAt?: number } = {}) {
  const introspection = { check: vi.fn(async () => {}) };
  const check = new RevocationCheck({
    mode,
    introspection,
    store: { loaded: state.loaded ?? true, revocationOf: () => (state.revoked === true ? "revoked" : state.revoked || undefined) },
    stream: { healthy: state.healthy ?? true, resumedAt: state.resumedAt ?? 0 },
    introspectionBackstop: state.backstop ?? false,
  });
  return { check, introspection };
}

describe("RevocationCheck", () => {
  it("ssf with a healthy stream: a memory lookup, no introspection", async () => {
    const { check, introspection } = setup("ssf");
    await check.check(seen("t", claims), true);
    expect(check.pushed).toBe(true);
    expect(introspection.check).not.toHaveBeenCalled();
  });

  it("ssf with the introspection backstop introspects as well, even with a healthy stream", async () => {
    const { check, introspection } = setup("ssf", { backstop: true });
    await check.check(seen("t", claims), true);
    expect(check.pushed).toBe(true);
    expect(introspection.check).toHaveBeenCalled();
  });

  it("ssf refuses a revoked session", async () => {
    const { check } = setup("ssf", { revoked: true });
    await expect(check.check(seen("t", claims), true)).rejects.toEqual(new AuthError("session_revoked"));
  });

  it("ssf leaves a token of the second every session of its user ended to introspection, and refuses it if Keycloak does", async () => {
    const { check, introspection } = setup("ssf", { revoked: "uncertain" });
    await check.check(seen("t", claims), true);
    expect(introspection.check).toHaveBeenCalledWith(seen("t", claims), true);
    introspection.check.mockRejectedValueOnce(new AuthError("session_revoked"));
    await expect(check.check(seen("t", claims), true)).rejects.toEqual(new AuthError("session_revoked"));
  });

  it("ssf with an unhealthy stream falls back to introspection, and still honours what was pushed", async () => {
    const { check, introspection } = setup("ssf", { healthy: false });
    await check.check(seen("t", claims), false);
    expect(check.pushed).toBe(false);
    expect(introspection.check).toHaveBeenCalledWith(seen("t", claims), false);
    const revoked = setup("ssf", { healthy: false, revoked: true });
    await expect(revoked.check.check(seen("t", claims), true)).rejects.toBeInstanceOf(AuthError);
  });

  it("ssf after an outage of the stream: tokens issued before it healed are introspected as well, later ones are not", async () => {
    // claims.iat is 100 s: healed at 100.5 s (the same second counts as before) and at 99 s.
    const before = setup("ssf", { resumedAt: 100_500 });
    await before.check.check(seen("t", claims), true);
    expect(before.check.pushed).toBe(true);
    expect(before.introspection.check).toHaveBeenCalledWith(seen("t", claims), true);
    const after = setup("ssf", { resumedAt: 99_000 });
    await after.check.check(seen("t", claims), true);
    expect(after.introspection.check).not.toHaveBeenCalled();
  });

  it("ssf before the table is loaded falls back to introspection", async () => {
    const { check, introspection } = setup("ssf", { loaded: false });
    await check.check(seen("t", claims), true);
    expect(introspection.check).toHaveBeenCalled();
  });

  it("introspection mode always introspects; off never checks", async () => {
    const introspecting = setup("introspection", { revoked: true });
    await introspecting.check.check(seen("t", claims), true);
    expect(introspecting.introspection.check).toHaveBeenCalled();
    const off = setup("off", { revoked: true });
    await off.check.check(seen("t", claims), true);
    expect(off.introspection.check).not.toHaveBeenCalled();
  });
});
