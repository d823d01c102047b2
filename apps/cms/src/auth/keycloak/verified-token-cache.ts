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
import { AuthError } from "./auth-error";
import { TtlCache } from "./ttl-cache";
import { verifyAccessToken, type AccessTokenClaims, type AccessTokenPolicy, type KeyResolver } from "./verify-access-token";

export interface VersionedKeyResolver extends KeyResolver {
  /** Changes whenever the key set is replaced. */
  readonly version: number;
  /** What keyFor does for a known key: refresh an old key set in the background. */
  keepFresh(): void;
}

export interface VerifiedTokenCacheOptions {
  policy: AccessTokenPolicy;
  keys: VersionedKeyResolver;
  maxEntries: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

interface Entry {
  claims: AccessTokenClaims;
  keySetVersion: number;
}

export class VerifiedTokenCache {
  private readonly entries: TtlCache<string, Entry>;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    // The TTL of each entry is its token's remaining life; this default is unused.
    this.entries = new TtlCache({ maxEntries: options.maxEntries, ttlMs: 0, now: options.now });
  }

  /** verifyAccessToken, answered from memory for a token that passed before. */
  async verify(token: string, nowMs: number): Promise<AccessTokenClaims> {
    const { policy, keys } = this.options;
    const hit = this.entries.get(token);
    if (hit !== undefined && hit.keySetVersion === keys.version) {
      // A repeat skips keyFor, which is where an old key set gets refreshed.
      keys.keepFresh();
      // RFC 7519 §4.1.4, as in verifyAccessToken: rejected on or after exp (plus leeway).
      if (Math.floor(nowMs / 1000) >= hit.claims.exp + policy.clockLeewaySeconds) {
        this.entries.delete(token);
        throw new AuthError("token_expired");
      }
      return hit.claims;
    }
    // Read before verifying: if the keys change meanwhile, the entry is stale at once.
    const keySetVersion = keys.version;
    const claims = await verifyAccessToken(token, policy, keys, nowMs);
    this.entries.set(token, { claims, keySetVersion }, (claims.exp + policy.clockLeewaySeconds) * 1000 - nowMs);
    return claims;
  }

  get size(): number {
    return this.entries.size;
  }
}
