// Keycloak realm roles → Strapi (users-permissions) roles: the one declared
// table. Applied on every request from the token's `realm_access.roles`, so a
// role granted or removed in the Keycloak console takes effect with the user's
// next access token. A user gets the union of the permissions of every mapped
// role; the first match in table order is also written to the Strapi user's
// `role` field so the admin panel shows something sensible.

export interface RoleMapping {
  /** Realm role in Keycloak. */
  realmRole: string;
  /** `type` of the users-permissions role in Strapi. */
  strapiRoleType: string;
  /** Shown in Strapi's admin panel; used when the role has to be created. */
  strapiRoleName: string;
  description: string;
}

export const ROLE_TABLE: readonly RoleMapping[] = [
  {
    realmRole: "editor",
    strapiRoleType: "editor",
    strapiRoleName: "Editor",
    description: "Keycloak realm role `editor`: creates, edits and publishes articles.",
  },
  {
    realmRole: "publisher",
    strapiRoleType: "publisher",
    strapiRoleName: "Publisher",
    description: "Keycloak realm role `publisher` (the publisher client's service account): publishes articles, no notes.",
  },
  {
    realmRole: "user",
    strapiRoleType: "authenticated",
    strapiRoleName: "Authenticated",
    description: "Keycloak realm role `user` (every signed-up person): private notes, reads articles.",
  },
];

/** Strapi role types for a token's realm roles, in table order. */
export function strapiRoleTypesFor(realmRoles: readonly string[]): string[] {
  return ROLE_TABLE.filter((mapping) => realmRoles.includes(mapping.realmRole)).map((m) => m.strapiRoleType);
}
