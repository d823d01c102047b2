import { AccountActionButton } from "@/components/account-action-button";
import { identityProviders } from "@/server/auth";

/**
 * Links another sign-in method to the signed-in account through Keycloak's
 * application-initiated action `idp_link:<alias>` (present in the pinned Keycloak 26.7): Keycloak
 * asks for confirmation, sends the person to the provider, and links what
 * comes back to the account that is already signed in.
 */
export function LinkProviderButtons() {
  return identityProviders().map(({ alias, label }) => (
    <AccountActionButton key={alias} label={`Link ${label}`} action={`idp_link:${alias}`} testId={`link-${alias}`} />
  ));
}
