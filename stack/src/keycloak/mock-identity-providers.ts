// The upstream identity providers of the dev and test overlay. Each one is an
// extra realm on the same Keycloak that the `app` realm brokers to over OIDC,
// the way Keycloak's own test suite stands in for a real provider. Never part
// of keycloak/realm-export.json: production has the real `google` and `github`.

interface MockProviderUser {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export interface MockIdentityProvider {
  /** Alias in the app realm: `kc_idp_hint`, `kc_action=idp_link:<alias>`, the broker endpoint. */
  alias: string;
  /** The realm that plays the upstream provider. */
  realm: string;
  /** Shown on Keycloak's login page and on the web app's buttons. */
  displayName: string;
  /**
   * Whether the app realm trusts the email this provider reports. Only for
   * providers that verify email (docs/decisions/0010): Google does, GitHub's
   * profile email is not guaranteed to be verified.
   */
  trustEmail: boolean;
  /**
   * The realm file's provider this one plays: the mock signs people in through
   * that provider's first-broker-login flow, so the journeys walk production's.
   */
  standsInFor: "google" | "github";
  /** Dev accounts at the provider, public by design like the demo users. */
  users: readonly MockProviderUser[];
}

export const mockGoogle: MockIdentityProvider = {
  alias: "mock-google",
  realm: "mock-google",
  displayName: "Google (mock)",
  trustEmail: true,
  standsInFor: "google",
  users: [
    // Same email as a demo user: signing in with it goes through linking.
    { email: "alice@example.com", password: "alice-google-password", firstName: "Alice", lastName: "Liddell" },
    // An email nobody registered: signing in with it creates a new account.
    { email: "carol@example.com", password: "carol-google-password", firstName: "Carol", lastName: "Google" },
  ],
};

export const mockGitHub: MockIdentityProvider = {
  alias: "mock-github",
  realm: "mock-github",
  displayName: "GitHub (mock)",
  trustEmail: false,
  standsInFor: "github",
  users: [
    { email: "bob@example.com", password: "bob-github-password", firstName: "Bob", lastName: "Builder" },
    { email: "dave@example.com", password: "dave-github-password", firstName: "Dave", lastName: "GitHub" },
  ],
};

export const mockIdentityProviders: readonly MockIdentityProvider[] = [mockGoogle, mockGitHub];

/** The client through which the app realm signs in at a mock provider. */
export const mockBrokerClientId = "app-realm-broker";

/**
 * The web app's `KEYCLOAK_IDENTITY_PROVIDERS` for these providers:
 * `alias=Display name`, comma-separated, in button order.
 */
export function identityProvidersSetting(providers: readonly MockIdentityProvider[] = mockIdentityProviders): string {
  return providers.map((provider) => `${provider.alias}=${provider.displayName}`).join(",");
}
