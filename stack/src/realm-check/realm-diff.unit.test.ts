// diffRealm against the real realm file: a live export that matches it has no
// differences; each change an admin could make in the console shows up.
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { realmFile } from "../keycloak/keycloak-server.ts";
import { diffRealm, type Difference } from "./realm-diff.ts";
import { resolvePlaceholders } from "./resolve-placeholders.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Realm = any;

const vars: Record<string, string> = { KEYCLOAK_WEB_CLIENT_SECRET: "web-secret", KEYCLOAK_CMS_CLIENT_SECRET: "cms-secret" };
const expected: Realm = JSON.parse(resolvePlaceholders(readFileSync(realmFile, "utf8"), (name) => vars[name]).text);

/** What Keycloak's partial export of a freshly imported realm looks like, near enough. */
function exportOf(realm: Realm): Realm {
  const live = structuredClone(realm);
  live.id = "0b0e8f0e-realm-id";
  live.enabled = true;
  live.attributes = { ...live.attributes, cibaInterval: "5" };
  live.smtpServer = { ...live.smtpServer, password: "**********" };
  for (const client of live.clients) {
    client.id = `id-${client.clientId}`;
    client.secret = "**********";
    client.attributes = { "post.logout.redirect.uris": "+", "backchannel.logout.session.required": "true", ...client.attributes, realm_client: "false" };
  }
  // Keycloak's own clients as 26.7 exports them (admin-cli is in the file).
  const grants = { standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false };
  live.clients.push(
    { clientId: "account", id: "id-account", publicClient: true, bearerOnly: false, ...grants, redirectUris: ["/realms/app/account/*"], webOrigins: [], attributes: { realm_client: "false", "post.logout.redirect.uris": "+" } },
    { clientId: "account-console", id: "id-account-console", publicClient: true, bearerOnly: false, ...grants, redirectUris: ["/realms/app/account/*"], webOrigins: [], attributes: { "post.logout.redirect.uris": "+", "pkce.code.challenge.method": "S256" } },
    { clientId: "broker", id: "id-broker", publicClient: false, bearerOnly: true, ...grants, redirectUris: [], webOrigins: [], attributes: { realm_client: "true" } },
    { clientId: "realm-management", id: "id-realm-management", publicClient: false, bearerOnly: true, ...grants, redirectUris: [], webOrigins: [], attributes: { realm_client: "true" } },
    { clientId: "security-admin-console", id: "id-security-admin-console", publicClient: true, bearerOnly: false, ...grants, redirectUris: ["/admin/app/console/*"], webOrigins: ["+"], attributes: { "client.use.lightweight.access.token.enabled": "true", "pkce.code.challenge.method": "S256" } },
  );
  for (const provider of live.identityProviders) {
    provider.internalId = `id-${provider.alias}`;
    provider.enabled = provider.enabled === "true";
    provider.config = { ...provider.config, clientSecret: "**********" };
  }
  live.identityProviderMappers = [];
  for (const flow of live.authenticationFlows) {
    flow.id = `id-${flow.alias}`;
    flow.builtIn = false;
  }
  live.authenticationFlows.push({ alias: "clients", providerId: "client-flow", topLevel: true, authenticationExecutions: [] });
  live.authenticatorConfig = live.authenticatorConfig.map((config: Realm) => ({ ...config, id: `id-${config.alias}` }));
  for (const role of live.roles.realm) role.id = `id-${role.name}`;
  const defaults = live.roles.realm.find((role: Realm) => role.name === "default-roles-app");
  defaults.composites.client = { account: ["view-profile", "manage-account", "delete-account"] };
  return live;
}

let live: Realm;
beforeEach(() => {
  live = exportOf(expected);
});

const paths = (differences: Difference[]) => differences.map((difference) => `${difference.kind} ${difference.path}`);
const client = (realm: Realm, clientId: string) => realm.clients.find((c: Realm) => c.clientId === clientId);
const provider = (realm: Realm, alias: string) => realm.identityProviders.find((p: Realm) => p.alias === alias);
const flow = (realm: Realm, alias: string) => realm.authenticationFlows.find((f: Realm) => f.alias === alias);

describe("diffRealm", () => {
  it("finds nothing when the live realm is what the file describes", () => {
    expect(diffRealm(expected, live)).toEqual([]);
  });

  it("reads the file's strings as Keycloak does: \"false\" from a placeholder is false", () => {
    expect(provider(expected, "google").enabled).toBe("false");
    expect(provider(live, "google").enabled).toBe(false);
    expect(diffRealm(expected, live)).toEqual([]);
    provider(live, "google").enabled = true;
    expect(paths(diffRealm(expected, live))).toEqual(["changed identityProviders[google].enabled"]);
  });

  it("reports redirect URIs added or removed", () => {
    client(live, "web").redirectUris.push("https://evil.example/*");
    expect(diffRealm(expected, live)).toEqual([
      { path: "clients[web].redirectUris", kind: "unexpected", actual: ["https://evil.example/*"] },
    ]);
    client(live, "web").redirectUris = ["https://evil.example/*"];
    expect(paths(diffRealm(expected, live))).toEqual(["missing clients[web].redirectUris", "unexpected clients[web].redirectUris"]);
  });

  it("reports realm token lifetimes and a client-level override the file does not have", () => {
    live.accessTokenLifespan = 3600;
    client(live, "web").attributes["access.token.lifespan"] = "86400";
    expect(diffRealm(expected, live)).toEqual([
      { path: "accessTokenLifespan", kind: "changed", expected: 300, actual: 3600, secret: false },
      { path: 'clients[web].attributes["access.token.lifespan"]', kind: "unexpected", actual: "86400" },
    ]);
  });

  it("ignores Keycloak's defaults for client attributes the file leaves out", () => {
    client(live, "cms").attributes["backchannel.logout.revoke.offline.tokens"] = "false";
    client(live, "cms").attributes["display.on.consent.screen"] = "false";
    expect(diffRealm(expected, live)).toEqual([]);
  });

  it("reports policies: password policy, brute force, refresh-token rotation, verify email", () => {
    live.passwordPolicy = "length(4)";
    live.bruteForceProtected = false;
    live.revokeRefreshToken = false;
    live.verifyEmail = false;
    expect(paths(diffRealm(expected, live))).toEqual([
      "changed verifyEmail",
      "changed passwordPolicy",
      "changed bruteForceProtected",
      "changed revokeRefreshToken",
    ]);
  });

  it("reports idp-auto-link slipped into the first broker login", () => {
    flow(live, "first broker login - link existing account").authenticationExecutions.unshift({
      authenticator: "idp-auto-link",
      authenticatorFlow: false,
      requirement: "ALTERNATIVE",
      priority: 5,
    });
    const [difference, ...rest] = diffRealm(expected, live);
    expect(rest).toEqual([]);
    expect(difference).toMatchObject({ path: "authenticationFlows[first broker login - link existing account].executions", kind: "changed" });
    expect(difference!.actual).toEqual([
      "idp-auto-link ALTERNATIVE",
      "idp-confirm-link REQUIRED",
      'flow "first broker login - re-authenticate" REQUIRED',
    ]);
  });

  it("reports a requirement changed and an authenticator setting changed", () => {
    flow(live, "browser second factor").authenticationExecutions[0].requirement = "DISABLED";
    live.authenticatorConfig.find((c: Realm) => c.alias === "review profile when incomplete").config["update.profile.on.first.login"] = "off";
    expect(paths(diffRealm(expected, live))).toEqual([
      "changed authenticationFlows[browser second factor].executions",
      "changed authenticationFlows[first broker login].executions",
    ]);
  });

  it("reports a flow binding moved to another flow", () => {
    live.browserFlow = "my browser";
    provider(live, "github").firstBrokerLoginFlowAlias = "auto link";
    provider(live, "github").postBrokerLoginFlowAlias = "post login";
    expect(paths(diffRealm(expected, live))).toEqual([
      "changed browserFlow",
      "changed identityProviders[github].firstBrokerLoginFlowAlias",
      "unexpected identityProviders[github].postBrokerLoginFlowAlias",
    ]);
  });

  it("reports identity providers: trusted email, extra providers and mappers", () => {
    provider(live, "github").trustEmail = true;
    live.identityProviders.push({ alias: "facebook", providerId: "facebook", enabled: true, config: {} });
    live.identityProviderMappers.push({ name: "make admin", identityProviderAlias: "google", identityProviderMapper: "hardcoded-role-idp-mapper" });
    expect(paths(diffRealm(expected, live))).toEqual([
      "changed identityProviders[github].trustEmail",
      "unexpected identityProviders[facebook]",
      "unexpected identityProviderMappers[google/make admin]",
    ]);
  });

  it("reports clients, protocol mappers and client scopes the file does not have, but not Keycloak's own clients", () => {
    live.clients.push({ clientId: "backdoor", id: "id-backdoor" });
    client(live, "web").protocolMappers.push({ name: "all roles", protocolMapper: "oidc-hardcoded-role-mapper" });
    client(live, "web").defaultClientScopes.push("offline_access");
    expect(paths(diffRealm(expected, live))).toEqual([
      "unexpected clients[web].defaultClientScopes",
      "unexpected clients[web].protocolMappers[all roles]",
      "unexpected clients[backdoor]",
    ]);
  });

  it("compares the built-in admin-cli with the file, which turns its password grant off", () => {
    expect(client(expected, "admin-cli")).toMatchObject({ publicClient: true, directAccessGrantsEnabled: false, standardFlowEnabled: false });
    client(live, "admin-cli").directAccessGrantsEnabled = true;
    expect(diffRealm(expected, live)).toEqual([
      { path: "clients[admin-cli].directAccessGrantsEnabled", kind: "changed", expected: false, actual: true, secret: false },
    ]);
  });

  it("compares Keycloak's other built-in clients with how Keycloak creates them: grants, redirect URIs, PKCE, token overrides", () => {
    client(live, "account-console").directAccessGrantsEnabled = true;
    client(live, "account").implicitFlowEnabled = true;
    client(live, "broker").bearerOnly = false;
    client(live, "realm-management").serviceAccountsEnabled = true;
    client(live, "security-admin-console").redirectUris.push("https://evil.example/*");
    delete client(live, "account-console").attributes["pkce.code.challenge.method"];
    client(live, "account").attributes["access.token.lifespan"] = "86400";
    expect(paths(diffRealm(expected, live))).toEqual([
      "changed clients[account].implicitFlowEnabled",
      'unexpected clients[account].attributes["access.token.lifespan"]',
      "changed clients[account-console].directAccessGrantsEnabled",
      'missing clients[account-console].attributes["pkce.code.challenge.method"]',
      "changed clients[broker].bearerOnly",
      "changed clients[realm-management].serviceAccountsEnabled",
      "unexpected clients[security-admin-console].redirectUris",
    ]);
  });

  it("reports Keycloak's own admin-cli (password grant on) when the file does not declare it", () => {
    const withoutAdminCli = { ...expected, clients: expected.clients.filter((c: Realm) => c.clientId !== "admin-cli") };
    // As Keycloak creates it when the file does not declare it.
    Object.assign(client(live, "admin-cli"), { bearerOnly: false, redirectUris: [], webOrigins: [], directAccessGrantsEnabled: true });
    expect(paths(diffRealm(withoutAdminCli, live))).toEqual(["changed clients[admin-cli].directAccessGrantsEnabled"]);
  });

  it("reports realm roles and what the default role grants", () => {
    live.roles.realm.push({ name: "superuser" });
    live.roles.realm.find((role: Realm) => role.name === "default-roles-app").composites.realm.push("editor");
    expect(paths(diffRealm(expected, live))).toEqual(["unexpected roles.realm[default-roles-app].composites.realm", "unexpected roles.realm[superuser]"]);
  });

  it("skips masked secrets, and marks a readable secret that differs as secret", () => {
    expect(diffRealm(expected, live)).toEqual([]);
    client(live, "web").secret = "something-else";
    expect(diffRealm(expected, live)).toEqual([
      { path: "clients[web].secret", kind: "changed", expected: "web-secret", actual: "something-else", secret: true },
    ]);
  });

  it("reports SMTP settings, events and their expiry", () => {
    live.smtpServer.host = "smtp.elsewhere.example";
    live.eventsEnabled = false;
    live.attributes.adminEventsExpiration = "60";
    expect(paths(diffRealm(expected, live))).toEqual(["changed smtpServer.host", "changed eventsEnabled", "changed attributes.adminEventsExpiration"]);
  });

  it("reports a missing client, provider and flow", () => {
    live.clients = live.clients.filter((c: Realm) => c.clientId !== "cms");
    live.identityProviders = live.identityProviders.filter((p: Realm) => p.alias !== "google");
    live.authenticationFlows = live.authenticationFlows.filter((f: Realm) => f.alias !== "reset credentials");
    expect(paths(diffRealm(expected, live))).toEqual([
      "missing clients[cms]",
      "missing identityProviders[google]",
      "missing authenticationFlows[reset credentials]",
    ]);
  });
});
