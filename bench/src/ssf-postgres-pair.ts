// What the bench's `ssf` pair needs to run as production does
// (docs/decisions/0058-bench-ssf-pair-on-postgresql.md): a PostgreSQL database of
// its own, shared by both instances (revocation table, LISTEN/NOTIFY), and a
// Shared Signals receiver client of its own, so its stream (pushed to the pair's
// first instance) and the bench stack's own Strapi's stream (the `cms` client's)
// never replace each other: Keycloak keeps one stream per receiver client.
import { randomBytes } from "node:crypto";
import { assignSsfReceiverScopes } from "@stack/runner/keycloak/ssf-receiver-scopes";
import type { RealmAdmin } from "@stack/testkit/realm-admin";
import pg from "pg";

/** The database both instances share, created empty for the run and dropped after it. */
export async function createPairDatabase(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const password = randomBytes(18).toString("base64url");
  const identifier = pg.escapeIdentifier(name);
  const admin = async (run: (client: pg.Client) => Promise<void>) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`PostgreSQL is not reachable at ${adminUrl.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")} (${(error as Error).message}); set STACK_POSTGRES_URL`);
    }
    try {
      await run(client);
    } finally {
      await client.end();
    }
  };
  const drop = async (client: pg.Client) => {
    // Ends leftover connections of an earlier run so DROP DATABASE can proceed.
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await client.query(`DROP DATABASE IF EXISTS ${identifier}`);
    await client.query(`DROP ROLE IF EXISTS ${identifier}`);
  };
  await admin(async (client) => {
    await drop(client);
    await client.query(`CREATE ROLE ${identifier} WITH LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
    await client.query(`CREATE DATABASE ${identifier} OWNER ${identifier}`);
  });
  const server = new URL(adminUrl);
  return {
    url: `postgres://${name}:${encodeURIComponent(password)}@${server.hostname}:${server.port || 5432}/${name}`,
    drop: () => admin(drop),
  };
}

/** A confidential client that is a Shared Signals receiver pushing to `pushUrl`, like the realm's `cms`. */
export async function createPairReceiver(admin: RealmAdmin, realm: string, clientId: string, pushUrl: string): Promise<{ clientId: string; secret: string; remove(): Promise<void> }> {
  const secret = randomBytes(24).toString("base64url");
  const existing = await admin.client.clients.find({ realm, clientId });
  for (const client of existing) if (client.id) await admin.client.clients.del({ realm, id: client.id });
  const { id } = await admin.client.clients.create({
    realm,
    clientId,
    name: "Bench: Strapi pair on PostgreSQL",
    enabled: true,
    protocol: "openid-connect",
    publicClient: false,
    clientAuthenticatorType: "client-secret",
    secret,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: true,
    attributes: { "ssf.enabled": "true", "ssf.defaultSubjects": "ALL", "ssf.validPushUrls": pushUrl },
  });
  await assignSsfReceiverScopes(admin.client, realm, clientId);
  return { clientId, secret, remove: () => admin.client.clients.del({ realm, id }) };
}
