// The RS256 signature check is most of what the strategy costs per request
// (about 0.1 ms of CPU on two cores, measured by `npm run bench`), and a client
// sends the same access token with every request until it refreshes. A token
// that passed every check of verifyAccessToken is therefore remembered by its
// exact bytes until it expires: a repeat skips the signature and the claim
// parsing, never the expiry check, and never the revocation check that follows
// verification in the strategy. Entries belong to the key set they were
// verified with: when the realm's keys change (rotation, a key withdrawn), every
// token is verified again; a repeat still lets an old key set be refreshed. Only tokens that passed are stored, so a flood of
// bad tokens costs what it costs without the cache and fills nothing.
//
// Entries are found by the token's last characters (its signature's end) and
// accepted only when the whole token is equal: a Map keyed by the whole token
// hashes its 1-2 KB on every lookup, which cost more than the rest of a hit.
// Equality keeps the "exact bytes" rule; a token that shares the tail of a
// stored one (a copied signature) is a miss, verified in full, and evicts nothing.
import type { KeyResolver } from "./jwks-key-store.ts";
import { TokenError } from "./token-error.ts";
import { TtlCache } from "./ttl-cache.ts";
import type { VerifiedAccessToken } from "./verified-access-token.ts";
import { verifyAccessToken, type AccessTokenPolicy } from "./verify-access-token.ts";

export interface VersionedKeyResolver extends KeyResolver {
  /** Changes whenever the key set is replaced. */
  readonly version: number;
  /** What keyFor does for a known key: refresh an old key set in the background. */
  keepFresh(): void;
}

export interface VerifiedTokenCacheOptions<Roles> {
  policy: AccessTokenPolicy<Roles>;
  keys: VersionedKeyResolver;
  maxEntries: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

interface Entry<Roles> {
  verified: VerifiedAccessToken<Roles>;
  keySetVersion: number;
}

// Base64url characters of the signature's end: 192 bits, unique among tokens that passed.
const FINGERPRINT_LENGTH = 32;

const fingerprintOf = (token: string): string => token.slice(-FINGERPRINT_LENGTH);

export class VerifiedTokenCache<Roles = readonly string[]> {
  private readonly entries: TtlCache<string, Entry<Roles>>;
  private readonly options: VerifiedTokenCacheOptions<Roles>;

  constructor(options: VerifiedTokenCacheOptions<Roles>) {
    this.options = options;
    // The TTL of each entry is its token's remaining life; this default is unused.
    this.entries = new TtlCache({ maxEntries: options.maxEntries, ttlMs: 0, now: options.now });
  }

  /**
   * The verified token, for a token that passed before, or undefined when it has to be
   * verified (never seen, evicted, or verified with another key set). Throws
   * token_expired for a remembered token past its `exp`.
   */
  recall(token: string, nowMs: number): VerifiedAccessToken<Roles> | undefined {
    const { policy, keys } = this.options;
    const fingerprint = fingerprintOf(token);
    const hit = this.entries.get(fingerprint);
    if (hit === undefined || hit.verified.token !== token || hit.keySetVersion !== keys.version) return undefined;
    // A repeat skips keyFor, which is where an old key set gets refreshed.
    keys.keepFresh();
    // RFC 7519 §4.1.4, as in verifyAccessToken: rejected on or after exp (plus leeway).
    if (Math.floor(nowMs / 1000) >= hit.verified.claims.exp + policy.clockLeewaySeconds) {
      this.entries.delete(fingerprint);
      throw new TokenError("token_expired");
    }
    return hit.verified;
  }

  /** verifyAccessToken, answered from memory for a token that passed before. */
  async verify(token: string, nowMs: number): Promise<VerifiedAccessToken<Roles>> {
    const recalled = this.recall(token, nowMs);
    if (recalled !== undefined) return recalled;
    const { policy, keys } = this.options;
    // Read before verifying: if the keys change meanwhile, the entry is stale at once.
    const keySetVersion = keys.version;
    const verified = await verifyAccessToken(token, policy, keys, nowMs);
    const expiresAt = (verified.claims.exp + policy.clockLeewaySeconds) * 1000;
    this.entries.set(fingerprintOf(token), { verified, keySetVersion }, expiresAt - nowMs);
    return verified;
  }

  get size(): number {
    return this.entries.size;
  }
}
