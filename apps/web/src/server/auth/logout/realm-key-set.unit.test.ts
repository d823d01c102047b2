import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ISSUER, logoutClaims, realmKey, type RealmKey } from "../../../test/support/realm-key";
import { LogoutTokenError, verifyLogoutToken } from "./logout-token";
import { realmKeySet } from "./realm-key-set";

const MAX_AGE_MS = 5 * 60_000;
const STALE_IF_ERROR_MS = 60 * 60_000;

let oldKey: RealmKey;
let newKey: RealmKey;

beforeAll(async () => {
  oldKey = await realmKey("old-key");
  newKey = await realmKey("new-key");
});

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-06-01T12:00:00Z"), toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** A JWKS endpoint whose published keys and reachability the test sets. */
function jwksEndpoint(initial: RealmKey[]) {
  const state = { published: initial, reachable: true, fetches: 0 };
  const fetchJwks = (async () => {
    state.fetches += 1;
    if (!state.reachable) throw new TypeError("fetch failed");
    return Response.json({ keys: state.published.map((key) => key.publicJwk) });
  }) as typeof fetch;
  return { state, fetch: fetchJwks };
}

async function outcome(token: string, keys: ReturnType<typeof realmKeySet>): Promise<string> {
  try {
    await verifyLogoutToken(token, { issuer: ISSUER, audience: "web", keys, maxAgeSeconds: 300 });
    return "accepted";
  } catch (error) {
    if (error instanceof LogoutTokenError) return error.code;
    throw error;
  }
}

const signedNow = (key: RealmKey) => key.sign(logoutClaims(Math.floor(Date.now() / 1000), { sid: "kc-1" }));

describe("realm key set", () => {
  it("a key withdrawn from the JWKS stops verifying once the cache age has passed", async () => {
    const endpoint = jwksEndpoint([oldKey, newKey]);
    const keys = realmKeySet({ jwksUrl: "http://keycloak/certs", maxAgeMs: MAX_AGE_MS, staleIfErrorMs: STALE_IF_ERROR_MS, cooldownMs: 30_000, timeoutMs: 1_000, fetch: endpoint.fetch });
    expect(await outcome(await signedNow(oldKey), keys)).toBe("accepted");

    endpoint.state.published = [newKey];
    vi.advanceTimersByTime(60_000);
    // Within the cache age the old key set is still used.
    expect(await outcome(await signedNow(oldKey), keys)).toBe("accepted");

    vi.advanceTimersByTime(MAX_AGE_MS);
    expect(await outcome(await signedNow(oldKey), keys)).toBe("logout_token_signature_invalid");
    expect(await outcome(await signedNow(newKey), keys)).toBe("accepted");
  });

  it("a new key is fetched on first sight of its kid", async () => {
    const endpoint = jwksEndpoint([oldKey]);
    const keys = realmKeySet({ jwksUrl: "http://keycloak/certs", maxAgeMs: MAX_AGE_MS, staleIfErrorMs: STALE_IF_ERROR_MS, cooldownMs: 30_000, timeoutMs: 1_000, fetch: endpoint.fetch });
    expect(await outcome(await signedNow(oldKey), keys)).toBe("accepted");
    endpoint.state.published = [oldKey, newKey];
    vi.advanceTimersByTime(31_000);
    expect(await outcome(await signedNow(newKey), keys)).toBe("accepted");
    expect(endpoint.state.fetches).toBe(2);
  });

  it("while the JWKS is unreachable, the last keys verify for a bounded time, then nothing does", async () => {
    const endpoint = jwksEndpoint([oldKey]);
    const keys = realmKeySet({ jwksUrl: "http://keycloak/certs", maxAgeMs: MAX_AGE_MS, staleIfErrorMs: STALE_IF_ERROR_MS, cooldownMs: 30_000, timeoutMs: 1_000, fetch: endpoint.fetch });
    expect(await outcome(await signedNow(oldKey), keys)).toBe("accepted");
    endpoint.state.reachable = false;

    vi.advanceTimersByTime(MAX_AGE_MS + 1_000);
    expect(await outcome(await signedNow(oldKey), keys)).toBe("accepted");
    expect(endpoint.state.fetches).toBeGreaterThan(1);

    vi.advanceTimersByTime(STALE_IF_ERROR_MS);
    expect(await outcome(await signedNow(oldKey), keys)).toBe("logout_token_keys_unavailable");
  });
});
