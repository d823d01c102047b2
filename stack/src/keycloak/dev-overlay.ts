// The dev and test overlay: what `npm start` and the tests add on top of the
// production realm file through the admin API. Nothing here ships to production.
// Every step is idempotent, so it runs on every start.
import { randomBytes } from "node:crypto";
import type { StackConfig } from "../stack-config.ts";
import type { AdminClient } from "./admin-client.ts";
import { demoUsers } from "./demo-users.ts";
import { mockIdentityProviders } from "./mock-identity-providers.ts";
import { ensureMockProviderBroker } from "./mock-provider-broker.ts";
import { ensureMockProviderRealm } from "./mock-provider-realm.ts";

export async function applyDevOverlay(admin: AdminClient, config: StackConfig): Promise<void> {
  await ensureDemoUsers(admin, config.realm);
  await ensureMockIdentityProviders(admin, config);
  if (config.testTweaks) await applyTestTweaks(admin, config);
}

// Stand-ins for Google and GitHub: extra realms on this Keycloak, brokered by
// the app realm over OIDC. The broker secret is new on every start and set on
// both sides, so it never needs storing.
async function ensureMockIdentityProviders(admin: AdminClient, config: StackConfig): Promise<void> {
  for (const mock of mockIdentityProviders) {
    const target = { keycloakUrl: config.keycloakUrl, appRealm: config.realm, clientSecret: randomBytes(24).toString("base64url") };
    await ensureMockProviderRealm(admin, mock, target);
    await ensureMockProviderBroker(admin, mock, target);
  }
}

async function ensureDemoUsers(admin: AdminClient, realm: string): Promise<void> {
  for (const demo of demoUsers) {
    const existing = await admin.users.find({ realm, email: demo.email, exact: true });
    let id = existing[0]?.id;
    if (!id) {
      // Created through the admin API (not the realm file) so the realm's
      // default role, and with it `user`, is granted as for any sign-up.
      const created = await admin.users.create({
        realm,
        username: demo.email,
        email: demo.email,
        emailVerified: true,
        enabled: true,
        firstName: demo.firstName,
        lastName: demo.lastName,
        credentials: [{ type: "password", value: demo.password, temporary: false }],
      });
      id = created.id;
    }
    if (demo.extraRoles.length > 0) {
      const roles = await Promise.all(demo.extraRoles.map((name) => admin.roles.findOneByName({ realm, name })));
      await admin.users.addRealmRoleMappings({
        realm,
        id,
        roles: roles.map((role) => ({ id: role!.id!, name: role!.name! })),
      });
    }
  }
}

// A short access-token lifetime for the web client, so the tests cross many
// expiries (and therefore refreshes) within one run.
async function applyTestTweaks(admin: AdminClient, config: StackConfig): Promise<void> {
  const tweaks = config.testTweaks!;
  const [web] = await admin.clients.find({ realm: config.realm, clientId: "web" });
  if (!web?.id) throw new Error("the realm has no `web` client");
  await admin.clients.update(
    { realm: config.realm, id: web.id },
    { ...web, attributes: { ...web.attributes, "access.token.lifespan": String(tweaks.webAccessTokenLifespanSeconds) } },
  );
}
