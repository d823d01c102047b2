// The upstream side of a mock identity provider: a realm on the same Keycloak
// with one confidential client for the app realm's broker and a few people.
// Idempotent: a realm, client or user that exists is brought up to date, not
// recreated, so links made in a long-lived dev stack survive restarts.
import type { AdminClient } from "./admin-client.ts";
import { mockBrokerClientId, type MockIdentityProvider } from "./mock-identity-providers.ts";

export interface MockRealmTarget {
  /** Public Keycloak base URL; the broker endpoint the upstream redirects back to lives there. */
  keycloakUrl: string;
  /** The realm that brokers to this provider (`app`). */
  appRealm: string;
  /** Shared with the app realm's identity provider entry; rotated on every overlay run. */
  clientSecret: string;
}

export async function ensureMockProviderRealm(admin: AdminClient, mock: MockIdentityProvider, target: MockRealmTarget): Promise<void> {
  const realm = mock.realm;
  if (!(await admin.realms.findOne({ realm }))) {
    // Created from a minimal representation, so Keycloak adds its default client
    // scopes (an explicit `clientScopes` list would replace them, and with them `sub`).
    await admin.realms.create({ realm, enabled: true, displayName: `${mock.displayName} (dev stand-in)`, loginWithEmailAllowed: true });
  }

  const client = {
    clientId: mockBrokerClientId,
    name: `Keycloak realm ${target.appRealm}`,
    enabled: true,
    protocol: "openid-connect",
    publicClient: false,
    clientAuthenticatorType: "client-secret",
    secret: target.clientSecret,
    standardFlowEnabled: true,
    directAccessGrantsEnabled: false,
    redirectUris: [`${target.keycloakUrl}/realms/${target.appRealm}/broker/${mock.alias}/endpoint`],
    webOrigins: [],
  };
  const [existing] = await admin.clients.find({ realm, clientId: mockBrokerClientId });
  if (existing?.id) await admin.clients.update({ realm, id: existing.id }, { ...existing, ...client });
  else await admin.clients.create({ realm, ...client });

  for (const person of mock.users) {
    const [found] = await admin.users.find({ realm, email: person.email, exact: true });
    if (found) continue;
    await admin.users.create({
      realm,
      username: person.email,
      email: person.email,
      // A provider that vouches for email (Google) reports it verified; the
      // GitHub stand-in reports it unverified, like an unconfirmed GitHub address.
      emailVerified: mock.trustEmail,
      enabled: true,
      firstName: person.firstName,
      lastName: person.lastName,
      credentials: [{ type: "password", value: person.password, temporary: false }],
    });
  }
}
