export interface IdentityProviderOption {
  /** The provider's alias in the realm: `kc_idp_hint=<alias>`, `kc_action=idp_link:<alias>`. */
  alias: string;
  label: string;
}
