// Compares the realm the file describes with a live realm's export and lists
// the differences that matter. The file is the specification: every value it
// sets must be live. Beyond that, things the file does not mention count
// where they change who gets in or what tokens say: extra clients, identity
// providers and their mappers, realm roles, protocol mappers, redirect URIs,
// client scopes, token-lifetime and logout overrides on a client, and the
// grants and redirect URIs of Keycloak's built-in clients.
// Descriptions and Keycloak's generated ids are ignored; masked secrets
// ("**********" in an export) cannot be compared and are skipped.

type DifferenceKind = "changed" | "missing" | "unexpected";

export interface Difference {
  /** Where, e.g. `clients[web].redirectUris` or `authenticationFlows[browser].executions`. */
  path: string;
  kind: DifferenceKind;
  expected?: unknown;
  actual?: unknown;
  /** The values are secrets: say that they differ, never what they are. */
  secret?: boolean;
  /** What is wrong with a secret, said without its value. */
  reason?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MASKED = "**********";
const NO_OTHER_GRANTS = { implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false };
/**
 * Keycloak's own clients of every realm, as Keycloak 26 creates them, in the
 * settings that decide how someone gets a token through them: grants, bearer
 * only, redirect URIs and web origins, PKCE. The file declares admin-cli
 * (Keycloak creates it with the password grant on) and is the specification
 * for it then; a built-in client the file leaves out is compared with these.
 */
const BUILT_IN_CLIENTS: Readonly<Record<string, (realm: string) => { fields: JsonObject; attributes: JsonObject }>> = {
  account: (realm) => ({ fields: { publicClient: true, bearerOnly: false, ...NO_OTHER_GRANTS, redirectUris: [`/realms/${realm}/account/*`], webOrigins: [] }, attributes: {} }),
  "account-console": (realm) => ({
    fields: { publicClient: true, bearerOnly: false, ...NO_OTHER_GRANTS, redirectUris: [`/realms/${realm}/account/*`], webOrigins: [] },
    attributes: { "pkce.code.challenge.method": "S256" },
  }),
  "admin-cli": () => ({ fields: { publicClient: true, bearerOnly: false, standardFlowEnabled: false, ...NO_OTHER_GRANTS, redirectUris: [], webOrigins: [] }, attributes: {} }),
  broker: () => ({ fields: { bearerOnly: true, ...NO_OTHER_GRANTS }, attributes: {} }),
  "realm-management": () => ({ fields: { bearerOnly: true, ...NO_OTHER_GRANTS }, attributes: {} }),
  "security-admin-console": (realm) => ({
    fields: { publicClient: true, bearerOnly: false, ...NO_OTHER_GRANTS, redirectUris: [`/admin/${realm}/console/*`], webOrigins: ["+"] },
    attributes: { "pkce.code.challenge.method": "S256" },
  }),
};
/**
 * Client attributes that matter even when the file leaves them out (they
 * override token lifetimes, PKCE or logout), with the value Keycloak gives a
 * new client, which is as good as absent.
 */
const WATCHED_CLIENT_ATTRIBUTES: Readonly<Record<string, string | undefined>> = {
  "access.token.lifespan": undefined,
  "client.session.idle.timeout": undefined,
  "client.session.max.lifespan": undefined,
  "client.offline.session.idle.timeout": undefined,
  "client.offline.session.max.lifespan": undefined,
  "pkce.code.challenge.method": undefined,
  // "+": the same as the client's redirect URIs.
  "post.logout.redirect.uris": "+",
  "backchannel.logout.url": undefined,
  "backchannel.logout.session.required": "true",
  "backchannel.logout.revoke.offline.tokens": "false",
  "frontchannel.logout.url": undefined,
};
/** Identity provider fields that matter even when the file leaves them out. */
const WATCHED_PROVIDER_FIELDS = ["postBrokerLoginFlowAlias", "linkOnly", "trustEmail", "enabled", "firstBrokerLoginFlowAlias"];
const IGNORED_KEYS = new Set(["id", "internalId", "containerId", "description", "clientRole"]);
/** Realm keys compared by their own rules below. */
const SPECIAL_REALM_KEYS = new Set([
  "clients",
  "identityProviders",
  "identityProviderMappers",
  "authenticationFlows",
  "authenticatorConfig",
  "roles",
  "defaultRole",
  // Only service-account users (their realm roles); a partial export leaves
  // users out, so the realm integration test checks them through the admin API.
  "users",
]);

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const isSecretKey = (key: string) => /secret|password/i.test(key);
const segment = (key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
const named = (collection: string, name: string) => `${collection}[${name}]`;

/** Keycloak reads "true"/"300" into boolean and number fields (Jackson coercion); the file's placeholders are strings. */
function sameScalar(expected: Json, actual: Json | undefined): boolean {
  if (expected === actual) return true;
  if (typeof expected === "string" && typeof actual === "boolean") return expected === String(actual);
  if (typeof expected === "string" && typeof actual === "number") return expected.trim() !== "" && Number(expected) === actual;
  return false;
}

export function diffRealm(expected: JsonObject, live: JsonObject): Difference[] {
  const out: Difference[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (SPECIAL_REALM_KEYS.has(key) || IGNORED_KEYS.has(key)) continue;
    compareValue(key, key, value, live[key], out);
  }
  compareClients(expected, live, out);
  compareIdentityProviders(expected, live, out);
  compareFlows(expected, live, out);
  compareRoles(expected, live, out);
  if (isObject(expected.defaultRole) && isObject(live.defaultRole) && expected.defaultRole.name !== live.defaultRole.name) {
    out.push({ path: "defaultRole.name", kind: "changed", expected: expected.defaultRole.name, actual: live.defaultRole.name });
  }
  return out;
}

/** Everything the file sets must be live: objects key by key, lists as sets, scalars with Keycloak's coercion. */
function compareValue(path: string, key: string, expected: Json, actual: Json | undefined, out: Difference[]): void {
  if (IGNORED_KEYS.has(key)) return;
  const secret = isSecretKey(key);
  if (isObject(expected)) {
    if (!isObject(actual)) {
      out.push({ path, kind: actual === undefined ? "missing" : "changed", expected, actual, secret });
      return;
    }
    for (const [child, value] of Object.entries(expected)) compareValue(path + segment(child), child, value, actual[child], out);
    return;
  }
  if (Array.isArray(expected)) {
    compareSet(path, expected, Array.isArray(actual) ? actual : [], out);
    return;
  }
  if (secret && actual === MASKED) return;
  // An empty setting and an absent one are the same to Keycloak (it drops empty config values).
  if (expected === "" && (actual === undefined || actual === null)) return;
  if (!sameScalar(expected, actual)) out.push({ path, kind: actual === undefined ? "missing" : "changed", expected, actual, secret });
}

function compareSet(path: string, expected: Json[], actual: Json[], out: Difference[]): void {
  const key = (value: Json) => JSON.stringify(value);
  const live = new Set(actual.map(key));
  const wanted = new Set(expected.map(key));
  const missing = expected.filter((value) => !live.has(key(value)));
  const unexpected = actual.filter((value) => !wanted.has(key(value)));
  if (missing.length > 0) out.push({ path, kind: "missing", expected: missing });
  if (unexpected.length > 0) out.push({ path, kind: "unexpected", actual: unexpected });
}

function byKey(list: Json | undefined, key: (item: JsonObject) => string): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const item of Array.isArray(list) ? list : []) if (isObject(item)) map.set(key(item), item);
  return map;
}

function compareClients(expected: JsonObject, live: JsonObject, out: Difference[]): void {
  const wanted = byKey(expected.clients, (client) => String(client.clientId));
  const actual = byKey(live.clients, (client) => String(client.clientId));
  for (const [clientId, client] of wanted) {
    const path = named("clients", clientId);
    const liveClient = actual.get(clientId);
    if (!liveClient) {
      out.push({ path, kind: "missing" });
      continue;
    }
    for (const [key, value] of Object.entries(client)) {
      if (key === "protocolMappers" || key === "attributes") continue;
      compareValue(path + segment(key), key, value, liveClient[key], out);
    }
    compareAttributes(`${path}.attributes`, isObject(client.attributes) ? client.attributes : {}, liveClient.attributes, out);
    compareMappers(`${path}.protocolMappers`, client.protocolMappers, liveClient.protocolMappers, out);
    // Flow overrides on a client bypass the realm's flows entirely.
    if (client.authenticationFlowBindingOverrides === undefined && isObject(liveClient.authenticationFlowBindingOverrides)) {
      const overrides = Object.entries(liveClient.authenticationFlowBindingOverrides).filter(([, id]) => id !== "" && id !== null);
      if (overrides.length > 0) out.push({ path: `${path}.authenticationFlowBindingOverrides`, kind: "unexpected", actual: Object.fromEntries(overrides) });
    }
  }
  for (const [clientId, liveClient] of actual) {
    if (wanted.has(clientId)) continue;
    const builtIn = BUILT_IN_CLIENTS[clientId]?.(String(expected.realm));
    if (!builtIn) {
      out.push({ path: named("clients", clientId), kind: "unexpected" });
      continue;
    }
    const path = named("clients", clientId);
    for (const [key, value] of Object.entries(builtIn.fields)) compareValue(path + segment(key), key, value, liveClient[key], out);
    compareAttributes(`${path}.attributes`, builtIn.attributes, liveClient.attributes, out);
  }
}

function compareAttributes(path: string, expected: JsonObject, actual: Json | undefined, out: Difference[]): void {
  const live = isObject(actual) ? actual : {};
  for (const [key, value] of Object.entries(expected)) compareValue(path + segment(key), key, value, live[key], out);
  for (const [key, value] of Object.entries(live)) {
    if (key in expected || !(key in WATCHED_CLIENT_ATTRIBUTES)) continue;
    if (value === "" || value === null || value === WATCHED_CLIENT_ATTRIBUTES[key]) continue;
    out.push({ path: path + segment(key), kind: "unexpected", actual: value });
  }
}

function compareMappers(path: string, expected: Json | undefined, actual: Json | undefined, out: Difference[]): void {
  const wanted = byKey(expected, (mapper) => String(mapper.name));
  const live = byKey(actual, (mapper) => String(mapper.name));
  for (const [name, mapper] of wanted) {
    const liveMapper = live.get(name);
    if (!liveMapper) out.push({ path: named(path, name), kind: "missing" });
    else for (const [key, value] of Object.entries(mapper)) compareValue(named(path, name) + segment(key), key, value, liveMapper[key], out);
  }
  for (const name of live.keys()) if (!wanted.has(name)) out.push({ path: named(path, name), kind: "unexpected" });
}

function compareIdentityProviders(expected: JsonObject, live: JsonObject, out: Difference[]): void {
  const wanted = byKey(expected.identityProviders, (provider) => String(provider.alias));
  const actual = byKey(live.identityProviders, (provider) => String(provider.alias));
  for (const [alias, provider] of wanted) {
    const path = named("identityProviders", alias);
    const liveProvider = actual.get(alias);
    if (!liveProvider) {
      out.push({ path, kind: "missing" });
      continue;
    }
    for (const [key, value] of Object.entries(provider)) compareValue(path + segment(key), key, value, liveProvider[key], out);
    for (const key of WATCHED_PROVIDER_FIELDS) {
      const value = liveProvider[key];
      if (!(key in provider) && value !== undefined && value !== null && value !== "" && value !== false) {
        out.push({ path: path + segment(key), kind: "unexpected", actual: value });
      }
    }
  }
  for (const alias of actual.keys()) if (!wanted.has(alias)) out.push({ path: named("identityProviders", alias), kind: "unexpected" });

  const mapperKey = (mapper: JsonObject) => `${String(mapper.identityProviderAlias)}/${String(mapper.name)}`;
  const wantedMappers = byKey(expected.identityProviderMappers, mapperKey);
  const liveMappers = byKey(live.identityProviderMappers, mapperKey);
  for (const [key, mapper] of wantedMappers) {
    const liveMapper = liveMappers.get(key);
    const path = named("identityProviderMappers", key);
    if (!liveMapper) out.push({ path, kind: "missing" });
    else for (const [field, value] of Object.entries(mapper)) compareValue(path + segment(field), field, value, liveMapper[field], out);
  }
  for (const key of liveMappers.keys()) if (!wantedMappers.has(key)) out.push({ path: named("identityProviderMappers", key), kind: "unexpected" });
}

/** One execution as it matters: what runs, how required, with which settings; in priority order. */
function executionsOf(flow: JsonObject, configs: Map<string, JsonObject>): string[] {
  const executions = (Array.isArray(flow.authenticationExecutions) ? flow.authenticationExecutions : []).filter(isObject);
  return [...executions]
    .sort((a, b) => Number(a.priority ?? 0) - Number(b.priority ?? 0))
    .map((execution) => {
      const what = execution.authenticatorFlow ? `flow "${String(execution.flowAlias)}"` : String(execution.authenticator);
      const configAlias = typeof execution.authenticatorConfig === "string" ? execution.authenticatorConfig : undefined;
      const config = configAlias ? configs.get(configAlias)?.config : undefined;
      return `${what} ${String(execution.requirement)}${config ? ` ${JSON.stringify(sortedObject(config))}` : ""}`;
    });
}

function sortedObject(value: Json): Json {
  return isObject(value) ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, value[key]!])) : value;
}

function compareFlows(expected: JsonObject, live: JsonObject, out: Difference[]): void {
  const wantedConfigs = byKey(expected.authenticatorConfig, (config) => String(config.alias));
  const liveConfigs = byKey(live.authenticatorConfig, (config) => String(config.alias));
  const liveFlows = byKey(live.authenticationFlows, (flow) => String(flow.alias));
  for (const [alias, flow] of byKey(expected.authenticationFlows, (f) => String(f.alias))) {
    const path = named("authenticationFlows", alias);
    const liveFlow = liveFlows.get(alias);
    if (!liveFlow) {
      out.push({ path, kind: "missing" });
      continue;
    }
    for (const key of ["providerId", "topLevel"]) compareValue(path + segment(key), key, flow[key] ?? null, liveFlow[key] ?? null, out);
    const wantedSteps = executionsOf(flow, wantedConfigs);
    const liveSteps = executionsOf(liveFlow, liveConfigs);
    if (JSON.stringify(wantedSteps) !== JSON.stringify(liveSteps)) {
      out.push({ path: `${path}.executions`, kind: "changed", expected: wantedSteps, actual: liveSteps });
    }
  }
  // Flows only the live realm has are harmless until something uses them, and
  // every use (realm bindings, a provider's flows, client overrides) is compared.
}

function compareRoles(expected: JsonObject, live: JsonObject, out: Difference[]): void {
  const realmRoles = (realm: JsonObject) => byKey(isObject(realm.roles) ? realm.roles.realm : undefined, (role) => String(role.name));
  const wanted = realmRoles(expected);
  const actual = realmRoles(live);
  for (const [name, role] of wanted) {
    const path = named("roles.realm", name);
    const liveRole = actual.get(name);
    if (!liveRole) {
      out.push({ path, kind: "missing" });
      continue;
    }
    const composites = (r: JsonObject) => (isObject(r.composites) ? r.composites : {});
    const wantedComposites = composites(role);
    const liveComposites = composites(liveRole);
    compareSet(`${path}.composites.realm`, asList(wantedComposites.realm), asList(liveComposites.realm), out);
    if (wantedComposites.client !== undefined) compareValue(`${path}.composites.client`, "client", wantedComposites.client, liveComposites.client, out);
  }
  for (const name of actual.keys()) if (!wanted.has(name)) out.push({ path: named("roles.realm", name), kind: "unexpected" });
}

const asList = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
