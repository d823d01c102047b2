// The app realm's side of a mock identity provider: a generic OIDC identity
// provider pointed at the mock realm. It uses the same first-broker-login flow
// as the production providers (read from the realm, not repeated here), so the
// linking journeys prove the production flow.
import type { AdminClient } from "./admin-client.ts";
import { mockBrokerClientId, type MockIdentityProvider } from "./mock-identity-providers.ts";
import type { MockRealmTarget } from "./mock-provider-realm.ts";

export async function ensureMockProviderBroker(admin: AdminClient, mock: MockIdentityProvider, target: MockRealmTarget): Promise<void> {
  const realm = target.appRealm;
  // The admin client's type lacks `firstBrokerLoginFlow` (the realm's default for new providers, Keycloak 26).
  const appRealm = (await admin.realms.findOne({ realm })) as { firstBrokerLoginFlow?: string } | undefined;
  if (!appRealm) throw new Error(`realm ${realm} does not exist; Keycloak did not import keycloak/realm-export.json`);
  const upstream = `${target.keycloakUrl}/realms/${mock.realm}`;
  // No logoutUrl: like Google and GitHub, signing out of Acme leaves the person
  // signed in at the provider (and an upstream logout page would interrupt ours).
  const oidc = `${upstream}/protocol/openid-connect`;
  const entry = {
    alias: mock.alias,
    displayName: mock.displayName,
    providerId: "oidc",
    enabled: true,
    trustEmail: mock.trustEmail,
    storeToken: false,
    linkOnly: false,
    firstBrokerLoginFlowAlias: appRealm.firstBrokerLoginFlow ?? "first broker login",
    config: {
      issuer: upstream,
      authorizationUrl: `${oidc}/auth`,
      tokenUrl: `${oidc}/token`,
      userInfoUrl: `${oidc}/userinfo`,
      jwksUrl: `${oidc}/certs`,
      useJwksUrl: "true",
      validateSignature: "true",
      clientId: mockBrokerClientId,
      clientSecret: target.clientSecret,
      clientAuthMethod: "client_secret_post",
      defaultScope: "openid profile email",
      pkceEnabled: "true",
      pkceMethod: "S256",
      syncMode: "IMPORT",
    },
  };
  const existing = await admin.identityProviders.findOne({ realm, alias: mock.alias });
  if (existing) await admin.identityProviders.update({ realm, alias: mock.alias }, { ...existing, ...entry });
  else await admin.identityProviders.create({ realm, ...entry });
}
