// Gives Strapi's client (`cms`, the realm's Shared Signals receiver) the
// transmitter's `ssf.manage` and `ssf.read` client scopes, so its
// client-credentials token may create and read its own stream.
//
// Keycloak creates these scopes when the realm is created, after a realm
// import has already created the clients, so a client that lists them in
// keycloak/realm-export.json loses them (with a warning) and the file cannot
// say it; the admin API after start can (docs/decisions/0051-cms-client-is-the-ssf-receiver.md).
// Idempotent: a scope already assigned is left alone.
import type { AdminClient } from "./admin-client.ts";

const SSF_RECEIVER_SCOPES = ["ssf.manage", "ssf.read"] as const;

class SsfReceiverScopesError extends Error {
  readonly code = "ERR_SSF_RECEIVER_SCOPES";
}

/** Returns the scopes it added (empty when all were there). */
export async function assignSsfReceiverScopes(admin: AdminClient, realm: string, clientId: string): Promise<string[]> {
  const [client] = await admin.clients.find({ realm, clientId });
  if (!client?.id) throw new SsfReceiverScopesError(`realm ${realm} has no client ${clientId} to receive Shared Signals`);
  const scopes = await admin.clientScopes.find({ realm });
  const assigned = new Set((await admin.clients.listDefaultClientScopes({ realm, id: client.id })).map((scope) => scope.name));
  const added: string[] = [];
  for (const name of SSF_RECEIVER_SCOPES) {
    if (assigned.has(name)) continue;
    const scope = scopes.find((candidate) => candidate.name === name);
    if (!scope?.id) {
      throw new SsfReceiverScopesError(`realm ${realm} has no client scope ${name}: is Keycloak's ssf feature on (--features=ssf)?`);
    }
    await admin.clients.addDefaultClientScope({ realm, id: client.id, clientScopeId: scope.id });
    added.push(name);
  }
  return added;
}
