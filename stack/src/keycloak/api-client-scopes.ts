// Creates the API's client scopes of keycloak/api-client-scopes.json (the
// audience scope `cms-audience` and the rights `notes:read`, `notes:write`,
// `articles:write`) and gives them to the clients of keycloak/realm-export.json
// that list them in `defaultClientScopes` / `optionalClientScopes`.
//
// The realm file cannot hold them: a `clientScopes` list in a realm import
// replaces every scope Keycloak creates for a new realm (`basic` with `sub`,
// `profile`, `email`, `roles`, ...), and a client that names a scope the realm
// lacks loses it at import (with a warning). So the file's clients name the
// scopes, this module creates them once Keycloak is ready and repeats the
// assignment (docs/decisions/0080-api-client-scopes-after-import.md).
// Idempotent: an existing scope is brought to the file's settings and mappers,
// an existing assignment is left alone.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AdminClient } from "./admin-client.ts";
import { repoRoot } from "../stack-config.ts";

const apiClientScopesFile = join(repoRoot, "keycloak", "api-client-scopes.json");

export interface ApiClientScope {
  name: string;
  description?: string;
  protocol: string;
  attributes?: Record<string, string>;
  protocolMappers?: { name: string; protocol: string; protocolMapper: string; config: Record<string, string> }[];
}

interface FileClient {
  clientId: string;
  defaultClientScopes?: string[];
  optionalClientScopes?: string[];
}

export class ApiClientScopesError extends Error {
  readonly code = "ERR_API_CLIENT_SCOPES";
}

export function readApiClientScopes(text = readFileSync(apiClientScopesFile, "utf8")): ApiClientScope[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new ApiClientScopesError(`${apiClientScopesFile}: expected a list of client scopes`);
  for (const scope of value as ApiClientScope[]) {
    if (typeof scope?.name !== "string" || scope.name === "" || typeof scope.protocol !== "string") {
      throw new ApiClientScopesError(`${apiClientScopesFile}: every scope needs a name and a protocol`);
    }
  }
  return value as ApiClientScope[];
}

/** Which file clients want which of the API scopes, as default or optional scopes. */
export function wantedAssignments(realmText: string, scopes: readonly ApiClientScope[]) {
  const names = new Set(scopes.map((scope) => scope.name));
  const clients = ((JSON.parse(realmText) as { clients?: FileClient[] }).clients ?? []).filter((c) => typeof c.clientId === "string");
  return clients.flatMap((client) => [
    ...(client.defaultClientScopes ?? []).filter((n) => names.has(n)).map((scope) => ({ clientId: client.clientId, scope, kind: "default" as const })),
    ...(client.optionalClientScopes ?? []).filter((n) => names.has(n)).map((scope) => ({ clientId: client.clientId, scope, kind: "optional" as const })),
  ]);
}

/** Returns what it changed, one line each (empty when everything was in place). */
export async function applyApiClientScopes(admin: AdminClient, realm: string, realmText: string, scopes = readApiClientScopes()): Promise<string[]> {
  const changed: string[] = [];
  const existing = new Map((await admin.clientScopes.find({ realm })).map((scope) => [scope.name!, scope]));
  const ids = new Map<string, string>();
  for (const scope of scopes) {
    const { protocolMappers = [], ...fields } = scope;
    let live = existing.get(scope.name);
    if (!live?.id) {
      await admin.clientScopes.create({ realm, ...fields });
      live = (await admin.clientScopes.findOneByName({ realm, name: scope.name })) ?? undefined;
      if (!live?.id) throw new ApiClientScopesError(`Keycloak did not create client scope ${scope.name}`);
      changed.push(`client scope ${scope.name} created`);
    } else {
      await admin.clientScopes.update({ realm, id: live.id }, { ...live, ...fields });
    }
    ids.set(scope.name, live.id);
    const liveMappers = new Map((live.protocolMappers ?? []).map((mapper) => [mapper.name!, mapper]));
    for (const mapper of protocolMappers) {
      const current = liveMappers.get(mapper.name);
      if (!current?.id) {
        await admin.clientScopes.addProtocolMapper({ realm, id: live.id }, mapper);
        changed.push(`mapper ${mapper.name} added to ${scope.name}`);
      } else if (JSON.stringify(current.config) !== JSON.stringify({ ...current.config, ...mapper.config })) {
        await admin.clientScopes.updateProtocolMapper({ realm, id: live.id, mapperId: current.id }, { ...current, ...mapper });
        changed.push(`mapper ${mapper.name} of ${scope.name} updated`);
      }
    }
  }

  const byClient = new Map<string, { id: string; defaults: Set<string>; optionals: Set<string> }>();
  for (const { clientId, scope, kind } of wantedAssignments(realmText, scopes)) {
    let client = byClient.get(clientId);
    if (!client) {
      const [found] = await admin.clients.find({ realm, clientId });
      if (!found?.id) throw new ApiClientScopesError(`realm ${realm} has no client ${clientId}, which keycloak/realm-export.json declares`);
      const defaults = new Set((await admin.clients.listDefaultClientScopes({ realm, id: found.id })).map((s) => s.name!));
      const optionals = new Set((await admin.clients.listOptionalClientScopes({ realm, id: found.id })).map((s) => s.name!));
      client = { id: found.id, defaults, optionals };
      byClient.set(clientId, client);
    }
    const clientScopeId = ids.get(scope)!;
    if (kind === "default" && !client.defaults.has(scope)) {
      if (client.optionals.has(scope)) await admin.clients.delOptionalClientScope({ realm, id: client.id, clientScopeId });
      await admin.clients.addDefaultClientScope({ realm, id: client.id, clientScopeId });
      changed.push(`${scope} → ${clientId} (default)`);
    } else if (kind === "optional" && !client.optionals.has(scope)) {
      if (client.defaults.has(scope)) await admin.clients.delDefaultClientScope({ realm, id: client.id, clientScopeId });
      await admin.clients.addOptionalClientScope({ realm, id: client.id, clientScopeId });
      changed.push(`${scope} → ${clientId} (optional)`);
    }
  }
  return changed;
}
