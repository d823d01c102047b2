// Finds the CMS user for a Keycloak subject, creating it on first sight and
// keeping username, email, confirmation and role in step with the token.
// Concurrent first requests in one process share one lookup (single flight);
// across processes the unique index on `keycloak_sub` decides, and the losers
// read the winner's row. A new row is created without its role, which is then
// set by an update: Strapi's query engine commits a created row before linking
// its relations and deletes the row again when linking fails, so another
// process that read the row in between and set the same role itself made the
// creator's link fail and the row vanish under both (a newcomer's first
// requests on two instances answered 500). An update that fails that way is
// harmless: the row as it now stands is kept if it already says what the token
// says.
import { SingleFlight, TtlCache } from "@stack/keycloak-tokens";
import type { CmsUser, UserProfile, UserStore } from "./user-store";

export interface UserProvisionerOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

const SYNCED_FIELDS = ["username", "email", "confirmed", "roleId"] as const;

export class UserProvisioner {
  private readonly cache: TtlCache<string, CmsUser>;
  private readonly flights = new SingleFlight<string, CmsUser>();

  constructor(
    private readonly store: UserStore,
    options: UserProvisionerOptions,
  ) {
    this.cache = new TtlCache({ maxEntries: options.maxEntries, ttlMs: options.ttlMs, now: options.now });
  }

  async resolve(profile: UserProfile): Promise<CmsUser> {
    const cached = this.cache.get(profile.keycloakSub);
    if (cached !== undefined && changesFor(cached, profile) === undefined) return cached;
    return this.flights.run(profile.keycloakSub, async () => {
      let user = await this.store.findBySubject(profile.keycloakSub);
      if (user === null) {
        try {
          user = await this.store.create({ ...profile, roleId: null });
        } catch (error) {
          // Lost the race to another process: the unique index kept its row.
          user = await this.store.findBySubject(profile.keycloakSub);
          if (user === null) throw error;
        }
      }
      const changes = changesFor(user, profile);
      if (changes !== undefined) user = await this.updateOrAdopt(user.id, profile, changes);
      this.cache.set(profile.keycloakSub, user);
      return user;
    });
  }

  private async updateOrAdopt(id: number, profile: UserProfile, changes: Partial<UserProfile>): Promise<CmsUser> {
    try {
      return await this.store.update(id, changes);
    } catch (error) {
      // Another process made the same change at the same moment (the PostgreSQL-restart drill's two
      // instances, a newcomer's first requests: a duplicate role link).
      const current = await this.store.findBySubject(profile.keycloakSub);
      if (current !== null && changesFor(current, profile) === undefined) return current;
      throw error;
    }
  }

  /** Forgets every cached user, e.g. after an admin blocked someone. */
  invalidate(): void {
    this.cache.clear();
  }
}

function changesFor(user: CmsUser, profile: UserProfile): Partial<UserProfile> | undefined {
  const changes: Partial<UserProfile> = {};
  let changed = false;
  for (const field of SYNCED_FIELDS) {
    if (user[field] !== profile[field]) {
      (changes as Record<string, unknown>)[field] = profile[field];
      changed = true;
    }
  }
  return changed ? changes : undefined;
}
