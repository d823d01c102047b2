import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwksCache, type ExportedJWKSCache, type JWKSCacheInput, type JWTVerifyGetKey } from "jose";

export interface RealmKeySetOptions {
  /** Keycloak's JWKS endpoint (server-facing). */
  jwksUrl: string;
  /** After this, the key set is fetched again before it is used: a key Keycloak withdrew stops verifying. */
  maxAgeMs: number;
  /** While a refetch fails, keys this much older than `maxAgeMs` still verify; older ones do not. */
  staleIfErrorMs: number;
  /** An unknown `kid` (a new realm key) refetches at most this often. */
  cooldownMs: number;
  timeoutMs: number;
  fetch: typeof fetch;
}

/**
 * The realm's signing keys for logout tokens: jose's remote key set with a
 * bounded cache age, so a key removed from Keycloak's JWKS (rotation after a
 * compromise) stops verifying within `maxAgeMs` rather than at the next
 * restart. When the refetch itself fails (Keycloak's JWKS briefly
 * unreachable), the last fetched keys keep verifying for `staleIfErrorMs`
 * more: a withdrawal cannot be learnt then anyway, and logout keeps working.
 */
export function realmKeySet(options: RealmKeySetOptions): JWTVerifyGetKey {
  // jose fills this on every successful fetch; its `uat` is Date.now() of that fetch.
  const cache: Partial<ExportedJWKSCache> = {};
  const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
    cacheMaxAge: options.maxAgeMs,
    cooldownDuration: options.cooldownMs,
    timeoutDuration: options.timeoutMs,
    [customFetch]: options.fetch,
    [jwksCache]: cache as JWKSCacheInput,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const usable = cache.jwks !== undefined && cache.uat !== undefined && Date.now() - cache.uat < options.maxAgeMs + options.staleIfErrorMs;
      if (!isFetchFailure(error) || !usable) throw error;
      return createLocalJWKSet(cache.jwks!)(header, token);
    }
  };
}

/** The JWKS could not be fetched (network, timeout, non-200, not JSON), as opposed to a key that does not match. */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError) return true;
  // jose reports a non-200 answer and unparsable JSON as its generic error.
  return error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC";
}
