import { describe, expect, it } from "vitest";
import { TokenError } from "../src/token-error.ts";
import { JwksKeyStore } from "../src/jwks-key-store.ts";
import { JWKS_URL, NOW_SECONDS, generateSigningKey, jwksFetch, type SigningKey } from "./support/local-issuer.ts";

const keyA = generateSigningKey("key-a");
const keyB = generateSigningKey("key-b");

function setup(initial: SigningKey[], options: { cooldownMs?: number; maxAgeMs?: number } = {}) {
  const clock = { ms: NOW_SECONDS * 1000 };
  const slept: number[] = [];
  const { fetch, state } = jwksFetch(initial);
  const store = new JwksKeyStore({
    jwksUrl: JWKS_URL,
    algorithms: ["RS256"],
    cooldownMs: options.cooldownMs ?? 5000,
    maxAgeMs: options.maxAgeMs ?? 300_000,
    leewayMs: 5000,
    timeoutMs: 1000,
    fetch,
    now: () => clock.ms,
    // The injected sleep advances the injected clock: no real waiting.
    sleep: async (ms) => {
      slept.push(ms);
      clock.ms += ms;
    },
  });
  const nowSeconds = () => Math.floor(clock.ms / 1000);
  return { store, state, clock, slept, nowSeconds };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof TokenError ? error.code : String(error)),
  );

describe("JwksKeyStore", () => {
  it("fetches once and serves every later lookup from memory", async () => {
    const { store, state, nowSeconds } = setup([keyA]);
    await Promise.all(Array.from({ length: 10 }, () => store.keyFor("key-a", "RS256", nowSeconds())));
    await store.keyFor("key-a", "RS256", nowSeconds());
    expect(state.calls).toBe(1);
  });

  it("refetches on an unknown kid issued after the last fetch (rotation), without restarting", async () => {
    const { store, state, clock, nowSeconds } = setup([keyA]);
    await store.keyFor("key-a", "RS256", nowSeconds());
    clock.ms += 60_000;
    state.keys = [keyB.jwk, keyA.jwk];
    await expect(store.keyFor("key-b", "RS256", nowSeconds())).resolves.toBeDefined();
    expect(state.calls).toBe(2);
  });

  it("does not refetch for a token issued before the last fetch: the key would have been there", async () => {
    const { store, state, clock, nowSeconds } = setup([keyA]);
    const issuedEarlier = nowSeconds() - 120;
    await store.keyFor("key-a", "RS256", nowSeconds());
    clock.ms += 60_000;
    expect(await codeOf(store.keyFor("key-z", "RS256", issuedEarlier))).toBe("unknown_key");
    expect(state.calls).toBe(1);
  });

  it("fetches at most once per cooldown; a caller with a new kid waits for the next slot", async () => {
    const { store, state, slept, nowSeconds } = setup([keyA], { cooldownMs: 5000 });
    await store.keyFor("key-a", "RS256", nowSeconds());
    state.keys = [keyA.jwk, keyB.jwk];
    const results = await Promise.all([
      store.keyFor("key-b", "RS256", nowSeconds()),
      store.keyFor("key-b", "RS256", nowSeconds()),
      codeOf(store.keyFor("key-c", "RS256", nowSeconds())),
    ]);
    expect(results[2]).toBe("unknown_key");
    expect(state.calls).toBe(2);
    expect(slept).toEqual([5000]);
  });

  it("keeps its keys while Keycloak is unreachable, and drops disabled keys once it answers", async () => {
    const { store, state, clock, nowSeconds } = setup([keyA, keyB], { maxAgeMs: 60_000 });
    await store.keyFor("key-a", "RS256", nowSeconds());
    state.fail = true;
    clock.ms += 120_000;
    await expect(store.keyFor("key-a", "RS256", nowSeconds())).resolves.toBeDefined();
    await Promise.resolve();
    await expect(store.keyFor("key-b", "RS256", nowSeconds())).resolves.toBeDefined();
    expect(state.calls).toBeGreaterThan(1);

    state.fail = false;
    state.keys = [keyB.jwk];
    clock.ms += 120_000;
    // Stale: served from memory while a background refresh runs.
    await expect(store.keyFor("key-a", "RS256", nowSeconds() - 200)).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await codeOf(store.keyFor("key-a", "RS256", nowSeconds() - 200))).toBe("unknown_key");
  });

  it("answers keys_unavailable when it has never reached Keycloak, without queueing behind the cooldown", async () => {
    const { store, state, slept, nowSeconds } = setup([keyA]);
    state.fail = true;
    expect(await codeOf(store.keyFor("key-a", "RS256", nowSeconds()))).toBe("keys_unavailable");
    expect(await codeOf(store.keyFor("key-a", "RS256", nowSeconds()))).toBe("keys_unavailable");
    expect(slept).toEqual([]);
    expect(state.calls).toBe(1);
  });

  it("ignores encryption keys, private or symmetric keys, and keys for other algorithms", async () => {
    const { store, state, nowSeconds } = setup([]);
    const { d: _d, ...publicOnly } = keyA.jwk as Record<string, unknown> & { d?: unknown };
    state.keys = [
      { ...publicOnly, kid: "enc", use: "enc", alg: "RSA-OAEP" },
      { ...publicOnly, kid: "private", d: "AQAB" },
      { kty: "oct", kid: "hmac", k: "c2VjcmV0" },
      { ...publicOnly, kid: "rs512", alg: "RS512" },
      { ...publicOnly, kid: "no-alg", alg: undefined },
    ];
    await expect(store.keyFor("no-alg", "RS256", nowSeconds())).resolves.toBeDefined();
    for (const kid of ["enc", "private", "hmac", "rs512"]) {
      expect(await codeOf(store.keyFor(kid, "RS256", nowSeconds() - 100))).toBe("unknown_key");
    }
  });

  it("refuses to use a key with an algorithm other than the one it names", async () => {
    const { store, nowSeconds } = setup([keyA]);
    expect(await codeOf(store.keyFor("key-a", "PS256", nowSeconds()))).toBe("invalid_signature");
  });
});
