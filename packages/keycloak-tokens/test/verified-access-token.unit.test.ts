import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { VerifiedTokenCache } from "../src/verified-token-cache.ts";
import { verifyAccessToken } from "../src/verify-access-token.ts";
import { NOW_SECONDS, POLICY, accessTokenClaims, generateSigningKey, jwksFetch, localKeyStore, signAccessToken } from "./support/local-issuer.ts";

const key = generateSigningKey("realm-key-1");
const NOW_MS = NOW_SECONDS * 1000;
const keys = () => localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => NOW_MS });

describe("VerifiedAccessToken", () => {
  it("carries the app's view of the roles, worked out once per token", async () => {
    let mappings = 0;
    const policy = { ...POLICY, roles: (realmRoles: readonly string[]) => (mappings++, { editor: realmRoles.includes("editor") }) };
    const store = keys();
    await store.warmUp();
    const cache = new VerifiedTokenCache({ policy, keys: store, maxEntries: 10 });
    const token = signAccessToken(key, accessTokenClaims({ realm_access: { roles: ["user", "editor"] } }));
    const first = await cache.verify(token, NOW_MS);
    const repeat = await cache.verify(token, NOW_MS);
    expect(first.roles).toEqual({ editor: true });
    expect(repeat).toBe(first);
    expect(mappings).toBe(1);
  });

  it("defaults its roles to the realm roles", async () => {
    const verified = await verifyAccessToken(signAccessToken(key), POLICY, keys(), NOW_MS);
    expect(verified.roles).toEqual(["default-roles-app", "user", "offline_access"]);
  });

  it("keys per-token caches by jti, or by the token's hash without one; per-session caches by sid", async () => {
    const withJti = await verifyAccessToken(signAccessToken(key), POLICY, keys(), NOW_MS);
    expect(withJti.tokenId).toBe("onrtac:7d1d6d7e-0000-4000-8000-000000000001");
    expect(withJti.sessionKey).toBe("sid:5d2b6f7e-0000-4000-8000-0000000005e5");

    const bare = signAccessToken(key, accessTokenClaims({ jti: undefined, sid: undefined }));
    const withoutIds = await verifyAccessToken(bare, POLICY, keys(), NOW_MS);
    const hash = createHash("sha256").update(bare).digest("base64url");
    expect(withoutIds.tokenId).toBe(hash);
    expect(withoutIds.sessionKey).toBe(`tok:${hash}`);
  });
});
