import { beforeEach, describe, expect, it } from "vitest";
import { TokenError } from "../src/token-error.ts";
import { JwksKeyStore } from "../src/jwks-key-store.ts";
import { VerifiedTokenCache } from "../src/verified-token-cache.ts";
import type { AccessTokenPolicy } from "../src/verify-access-token.ts";
import { NOW_SECONDS, POLICY, accessTokenClaims, generateSigningKey, jwksFetch, localKeyStore, signAccessToken } from "./support/local-issuer.ts";

const policy: AccessTokenPolicy = POLICY;
const key = generateSigningKey("realm-key-1");
const rotated = generateSigningKey("realm-key-2");

let clock: number;
let jwks: ReturnType<typeof jwksFetch>;
let keys: JwksKeyStore;
let lookups: number;
let cache: VerifiedTokenCache;

beforeEach(async () => {
  clock = NOW_SECONDS * 1000;
  jwks = jwksFetch([key]);
  keys = localKeyStore({ fetch: jwks.fetch, now: () => clock, cooldownMs: 0 });
  // As at start-up (index.ts bootstrap warms the key store before any request).
  await keys.warmUp();
  lookups = 0;
  // Counts how often a token is really verified (each verification looks its key up once).
  const keyFor = keys.keyFor.bind(keys);
  keys.keyFor = (...args) => {
    lookups++;
    return keyFor(...args);
  };
  cache = new VerifiedTokenCache({ policy, keys, maxEntries: 2, now: () => clock });
});

const codeOf = (promise: Promise<unknown>) => promise.then(() => "accepted", (error: unknown) => (error as TokenError).code);

describe("VerifiedTokenCache", () => {
  it("verifies a token once and answers its repeats from memory with the same claims", async () => {
    const token = signAccessToken(key);
    const first = await cache.verify(token, clock);
    clock += 60_000;
    expect(await cache.verify(token, clock)).toEqual(first);
    expect(lookups).toBe(1);
  });

  it("still refuses a remembered token once it has expired", async () => {
    const token = signAccessToken(key, accessTokenClaims({ exp: NOW_SECONDS + 30 }));
    await cache.verify(token, clock);
    clock = (NOW_SECONDS + 35) * 1000;
    expect(await codeOf(cache.verify(token, clock))).toBe("token_expired");
    expect(cache.size).toBe(0);
  });

  it("remembers nothing about refused tokens", async () => {
    const forged = signAccessToken(rotated); // a key the realm does not publish
    expect(await codeOf(cache.verify(forged, clock))).toBe("unknown_key");
    expect(await codeOf(cache.verify(forged, clock))).toBe("unknown_key");
    expect(cache.size).toBe(0);
    const wrongAudience = signAccessToken(key, accessTokenClaims({ aud: "other" }));
    expect(await codeOf(cache.verify(wrongAudience, clock))).toBe("invalid_audience");
    expect(cache.size).toBe(0);
  });

  it("verifies again once the key set changes, so a withdrawn key stops working", async () => {
    const token = signAccessToken(key);
    await cache.verify(token, clock);
    // The realm rotates and withdraws the old key; a token of the new key makes the store refetch.
    jwks.state.keys = [rotated.jwk];
    clock += 10_000;
    await cache.verify(signAccessToken(rotated, accessTokenClaims({ iat: NOW_SECONDS + 5 })), clock);
    expect(await codeOf(cache.verify(token, clock))).toBe("unknown_key");
  });

  it("lets repeats refresh an old key set, so a withdrawn key stops working without any new token", async () => {
    const token = signAccessToken(key);
    await cache.verify(token, clock);
    jwks.state.keys = [rotated.jwk];
    clock += 301_000; // older than the key set's max age
    const callsBefore = jwks.state.calls;
    expect((await cache.verify(token, clock)).claims).toMatchObject({ sub: expect.any(String) });
    // The refresh runs in the background; let it land.
    for (let i = 0; i < 10 && keys.version === 1; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(jwks.state.calls).toBe(callsBefore + 1);
    expect(await codeOf(cache.verify(token, clock))).toBe("unknown_key");
  });

  it("recalls only a token it verified before, and only while it is valid", async () => {
    const token = signAccessToken(key);
    expect(cache.recall(token, clock)).toBeUndefined();
    const claims = await cache.verify(token, clock);
    expect(cache.recall(token, clock)).toBe(claims);
    expect(cache.recall(`${token}x`, clock)).toBeUndefined();
    // Past exp (plus leeway) it is gone from memory, and verifying it again refuses it.
    clock = (NOW_SECONDS + 300 + policy.clockLeewaySeconds) * 1000;
    expect(cache.recall(token, clock)).toBeUndefined();
    expect(await codeOf(cache.verify(token, clock))).toBe("token_expired");
    expect(cache.size).toBe(0);
  });

  it("does not take a token that shares a remembered token's signature for it, and keeps the remembered one", async () => {
    const token = signAccessToken(key);
    await cache.verify(token, clock);
    // Another payload behind the remembered token's header and signature: the same last characters.
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(JSON.stringify(accessTokenClaims({ sub: "someone-else" }))).toString("base64url");
    const spliced = `${header}.${payload}.${signature}`;
    expect(cache.recall(spliced, clock)).toBeUndefined();
    expect(await codeOf(cache.verify(spliced, clock))).toBe("invalid_signature");
    expect((await cache.verify(token, clock)).claims).toMatchObject({ sub: "4c1f2b6e-0000-4000-8000-00000000a11c" });
    expect(lookups).toBe(2); // the token once, the spliced one once; the repeat from memory
  });

  it("is bounded", async () => {
    for (const jti of ["a", "b", "c"]) await cache.verify(signAccessToken(key, accessTokenClaims({ jti })), clock);
    expect(cache.size).toBe(2);
  });
});
