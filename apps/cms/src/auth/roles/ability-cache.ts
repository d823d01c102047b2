// Strapi builds a CASL ability from a role's permission rows on every
// users-permissions request (several queries). Abilities here are keyed by the
// set of Strapi roles and kept for a short TTL; concurrent misses share one load.
import { SingleFlight, TtlCache } from "@stack/keycloak-tokens";

export interface AbilityCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export class AbilityCache<A> {
  private readonly cache: TtlCache<string, A>;
  private readonly flights = new SingleFlight<string, A>();

  constructor(
    private readonly load: (roleTypes: readonly string[]) => Promise<A>,
    options: AbilityCacheOptions,
  ) {
    this.cache = new TtlCache({ maxEntries: options.maxEntries, ttlMs: options.ttlMs, now: options.now });
  }

  forRoles(roleTypes: readonly string[]): Promise<A> {
    const key = this.keyOf(roleTypes);
    const cached = this.cache.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.flights.run(key, async () => {
      const ability = await this.load(key === "" ? [] : key.split(","));
      this.cache.set(key, ability);
      return ability;
    });
  }

  // A verified token's roles are one frozen array, read on every request with that token: its key is
  // worked out once. An array that could still change is keyed afresh each time.
  private readonly keys = new WeakMap<readonly string[], string>();

  private keyOf(roleTypes: readonly string[]): string {
    const known = this.keys.get(roleTypes);
    if (known !== undefined) return known;
    const key = [...new Set(roleTypes)].sort().join(",");
    if (Object.isFrozen(roleTypes)) this.keys.set(roleTypes, key);
    return key;
  }

  /** Forgets every ability, e.g. after an admin changed a role's permissions. */
  invalidate(): void {
    this.cache.clear();
  }
}
