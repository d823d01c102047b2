import "server-only";
import { authRuntime } from "../wiring";

export interface IdentityProviderOption {
  /** The provider's alias in the realm: `kc_idp_hint=<alias>`, `kc_action=idp_link:<alias>`. */
  alias: string;
  label: string;
}

/** The Keycloak identity providers the app offers buttons for, in order (empty when none is configured). */
export function identityProviders(): readonly IdentityProviderOption[] {
  return authRuntime().config.identityProviders;
}
