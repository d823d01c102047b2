// People at the dev overlay's mock Google and GitHub, made per test so that
// tests never share an upstream account.
import { randomUUID } from "node:crypto";
import type { AdminClient } from "@stack/runner/keycloak/admin-client";
import type { MockIdentityProvider } from "@stack/runner/keycloak/mock-identity-providers";

export interface MockProviderAccount {
  provider: MockIdentityProvider;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  remove(): Promise<void>;
}

export async function createMockProviderAccount(
  admin: AdminClient,
  provider: MockIdentityProvider,
  person: { email: string; firstName: string; lastName: string },
): Promise<MockProviderAccount> {
  const password = `upstream-${randomUUID()}`;
  const { id } = await admin.users.create({
    realm: provider.realm,
    username: person.email,
    email: person.email,
    emailVerified: provider.trustEmail,
    enabled: true,
    firstName: person.firstName,
    lastName: person.lastName,
    credentials: [{ type: "password", value: password, temporary: false }],
  });
  return { provider, password, ...person, remove: () => admin.users.del({ realm: provider.realm, id }).catch(() => undefined) };
}
