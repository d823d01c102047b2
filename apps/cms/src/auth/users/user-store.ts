// What the strategy needs from the database about CMS users, as an interface so
// the provisioning rules are unit-tested without Strapi.

/** A Strapi users-permissions user as the CMS sees it. */
export interface CmsUser {
  id: number;
  documentId: string;
  username: string;
  email: string | null;
  confirmed: boolean;
  blocked: boolean;
  keycloakSub: string;
  roleId: number | null;
  /** A person, or a client's service account (provider `keycloak-service-account`: no email, no session). */
  kind: "person" | "service";
}

/** The fields kept in sync from the token. */
export interface UserProfile {
  keycloakSub: string;
  username: string;
  email: string | null;
  confirmed: boolean;
  roleId: number | null;
  /** Set at creation only (apps/cms/src/auth/clients/client-table.ts); default person. */
  kind?: "person" | "service";
}

export interface UserStore {
  findBySubject(keycloakSub: string): Promise<CmsUser | null>;
  /**
   * Throws when a user with this subject already exists (unique index on
   * `keycloak_sub`). Drivers report that differently (Strapi's SQLite dialect
   * turns every constraint error into a NotNullError), so callers re-read
   * instead of inspecting the error. The provisioner creates rows with no
   * role and sets it by `update` (see user-provisioner.ts).
   */
  create(profile: UserProfile): Promise<CmsUser>;
  update(id: number, changes: Partial<UserProfile>): Promise<CmsUser>;
}
