import { SignInButton } from "@/components/sign-in-button";
import { identityProviders } from "@/server/auth";

/** One button per configured identity provider; `kc_idp_hint` skips Keycloak's own page and goes straight to the provider. */
export function ProviderSignInButtons({ returnTo = "/notes" }: { returnTo?: string }) {
  return identityProviders().map(({ alias, label }) => (
    <SignInButton key={alias} label={`Sign in with ${label}`} returnTo={returnTo} params={{ kc_idp_hint: alias }} testId={`sign-in-with-${alias}`} />
  ));
}
