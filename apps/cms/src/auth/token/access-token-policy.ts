// How the cms verifies access tokens, from its validated config: the realm's
// rules (issuer, audience, accepted clients, algorithms) and the Strapi roles a
// token's realm roles map to, worked out once per verified token and kept on it
// (VerifiedAccessToken.roles) for every repeat of the token.
import type { AccessTokenPolicy, VerifiedAccessToken } from "@stack/keycloak-tokens";
import type { CmsConfig } from "../../cms-config";
import { strapiRoleTypesFor } from "../roles/role-table";

export interface TokenRoles {
  /** The first Strapi role type in table order, written to the user's `role`. */
  primaryRole: string | undefined;
  /** Every Strapi role type of the token, and `public`: what anyone may do without a token, a signed-in caller may do too. */
  withPublic: readonly string[];
}

export type CmsAccessToken = VerifiedAccessToken<TokenRoles>;
export type CmsAccessTokenPolicy = AccessTokenPolicy<TokenRoles>;

export function tokenRolesFor(realmRoles: readonly string[]): TokenRoles {
  const roleTypes = strapiRoleTypesFor(realmRoles);
  return { primaryRole: roleTypes[0], withPublic: Object.freeze([...roleTypes, "public"]) };
}

export function accessTokenPolicy(keycloak: CmsConfig["keycloak"]): CmsAccessTokenPolicy {
  return {
    issuer: keycloak.issuer,
    audience: keycloak.audience,
    allowedAzp: keycloak.allowedAzp,
    algorithms: keycloak.algorithms,
    clockLeewaySeconds: keycloak.clockLeewaySeconds,
    maxTokenBytes: keycloak.maxTokenBytes,
    roles: tokenRolesFor,
  };
}
