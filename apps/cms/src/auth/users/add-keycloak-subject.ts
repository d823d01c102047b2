// Adds the Keycloak subject to users-permissions' user: its own column with a
// database-level unique index. The plugin's `unique` on username is only an
// application-level check, so concurrent first requests could otherwise
// create two users for one person.

export const KEYCLOAK_SUB_INDEX = "up_users_keycloak_sub_uq";

interface UserSchema {
  attributes: Record<string, Record<string, unknown>>;
  indexes?: { name: string; columns: string[]; type?: string }[];
}

export function addKeycloakSubject(schema: UserSchema): void {
  schema.attributes.keycloakSub = {
    type: "string",
    // Identifies the person to Keycloak; no reason to show it to API clients.
    private: true,
    configurable: false,
    searchable: false,
  };
  schema.indexes = [
    ...(schema.indexes ?? []).filter((index) => index.name !== KEYCLOAK_SUB_INDEX),
    { name: KEYCLOAK_SUB_INDEX, columns: ["keycloak_sub"], type: "unique" },
  ];
}
