// The app realm's side of a mock identity provider: a generic OIDC identity
// provider pointed at the mock realm. It uses the first-broker-login flow of
// the production provider it stands in for (read from the realm, not repeated
// here), so the linking journeys prove the production flow.
import type { AdminClient } from "./admin-client.ts";
import { mockBrokerClientId, type MockIdentityProvider } from "./mock-identity-providers.ts";
import type { MockRealmTarget } from "./mock-provider-realm.ts";

export async function ensureMockProviderBroker(admin: AdminClient, mock: MockIdentityProvider, target: MockRealmTarget): Promise<void> {
  const realm = target.appRealm;
  const production = await admin.identityProviders.findOne({ realm, alias: mock.standsInFor });
  if (!production?.firstBrokerLoginFlowAlias) {
    throw new Error(`realm ${realm} has no identity provider ${mock.standsInFor} with a first-broker-login flow; Keycloak did not import keycloak/realm-export.json`);
  }
  if (production.trustEmail !== mock.trustEmail) {
    throw new Error(`${mock.alias} stands in for ${mock.standsInFor}, whose trustEmail is ${String(production.trustEmail)}; the mock's is ${String(mock.trustEmail)}`);
  }
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
    firstBrokerLoginFlowAlias: production.firstBrokerLoginFlowAlias,
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
