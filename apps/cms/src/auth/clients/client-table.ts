// Which Keycloak clients may call the API, and on what terms: the one declared
// table (docs/api-clients.md). A token whose `azp` is not here is refused (401).
//
// - `kind`: whose token it is. `person` tokens come from a sign-in and carry a
//   Keycloak session id (`sid`); `service` tokens come from client credentials
//   and belong to the client's service account (no `sid`, no email): it is
//   provisioned as its own kind of Strapi user, never confused with a person.
// - `sessionRequired`: a token without `sid` is refused.
// - `dpop`: `required` refuses a Bearer token (RFC 9449 §7.1: the client must
//   send `Authorization: DPoP` with a proof); `allowed` takes either.
// - `scopeLimited`: the token's OAuth scopes cut the role's rights down
//   (effective rights = role ∩ scopes, scope-rights.ts). The first-party web
//   BFF asks for no API scopes: its rights are its role's.

export interface ApiClientPolicy {
  clientId: string;
  kind: "person" | "service";
  sessionRequired: boolean;
  dpop: "required" | "allowed";
  scopeLimited: boolean;
}

export const API_CLIENT_TABLE: readonly ApiClientPolicy[] = [
  { clientId: "web", kind: "person", sessionRequired: true, dpop: "allowed", scopeLimited: false },
  { clientId: "mobile", kind: "person", sessionRequired: true, dpop: "allowed", scopeLimited: true },
  { clientId: "cli", kind: "person", sessionRequired: true, dpop: "required", scopeLimited: true },
  { clientId: "publisher", kind: "service", sessionRequired: false, dpop: "allowed", scopeLimited: true },
];

export function policyFor(table: readonly ApiClientPolicy[], clientId: string): ApiClientPolicy | undefined {
  return table.find((policy) => policy.clientId === clientId);
}
