import { SignInButton } from "@/components/sign-in-button";

/** Opens Keycloak's registration page directly (`prompt=create`, OpenID Connect Prompt Create; Keycloak 26.1+). */
export function RegisterButton({ returnTo = "/notes" }: { returnTo?: string }) {
  return <SignInButton label="Create an account" returnTo={returnTo} params={{ prompt: "create" }} testId="register" />;
}
