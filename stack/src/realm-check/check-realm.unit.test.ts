// checkRealm against a stand-in admin client: the realm matches the file, and
// the questions are whether the server has the events listeners it lists, and
// whether a live client secret is a placeholder Keycloak could not resolve.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AdminClient } from "../keycloak/admin-client.ts";
import { checkRealm } from "./check-realm.ts";
import { formatDifference } from "./format-differences.ts";

const scratch = mkdtempSync(join(tmpdir(), "check-realm-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const realm = { realm: "app", eventsEnabled: true, eventsListeners: ["jboss-logging", "disabled-user-logout"] };
const realmFile = join(scratch, "realm.json");
writeFileSync(realmFile, JSON.stringify(realm));

function adminWith(installedListeners: string[]): AdminClient {
  return {
    realms: { export: async () => structuredClone(realm) },
    serverInfo: { find: async () => ({ providers: { eventsListener: { providers: Object.fromEntries(installedListeners.map((id) => [id, {}])) } } }) },
  } as unknown as AdminClient;
}

describe("checkRealm and the events listeners the file enables", () => {
  it("finds nothing when the server has every listed listener", async () => {
    const result = await checkRealm({ admin: adminWith(["jboss-logging", "email", "disabled-user-logout"]), realm: "app", realmFile, variables: {} });
    expect(result.differences).toEqual([]);
  });

  it("reports a listed listener the server lacks, though the realm itself lists it (Keycloak imports it silently)", async () => {
    const result = await checkRealm({ admin: adminWith(["jboss-logging", "email"]), realm: "app", realmFile, variables: {} });
    expect(result.differences).toEqual([
      { path: "eventsListeners[disabled-user-logout]", kind: "missing", expected: expect.stringContaining("no such provider on this Keycloak") },
    ]);
  });
});

describe("checkRealm and client secrets that are placeholder text", () => {
  const clientsRealm = {
    realm: "app",
    clients: [
      { clientId: "web", publicClient: false, secret: "${KEYCLOAK_WEB_CLIENT_SECRET}" },
      { clientId: "cms", publicClient: false, secret: "${KEYCLOAK_CMS_CLIENT_SECRET}" },
    ],
  };
  const clientsFile = join(scratch, "clients-realm.json");
  writeFileSync(clientsFile, JSON.stringify(clientsRealm));
  const noGrants = { implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false };
  // What a partial export says (ids, secrets masked) and what the client-secret endpoint answers.
  const live = {
    realm: "app",
    clients: [
      { id: "id-web", clientId: "web", publicClient: false, secret: "**********" },
      { id: "id-cms", clientId: "cms", publicClient: false, secret: "**********" },
      // Keycloak's own, as it creates them: a public client has no secret, a bearer-only one never uses its own.
      {
        id: "id-account-console",
        clientId: "account-console",
        publicClient: true,
        bearerOnly: false,
        ...noGrants,
        redirectUris: ["/realms/app/account/*"],
        webOrigins: [],
        attributes: { "pkce.code.challenge.method": "S256" },
      },
      { id: "id-realm-management", clientId: "realm-management", publicClient: false, bearerOnly: true, ...noGrants, attributes: {} },
    ],
  };
  const adminWithSecrets = (secrets: Record<string, string>, asked: string[] = []): AdminClient =>
    ({
      realms: { export: async () => structuredClone(live) },
      clients: {
        getClientSecret: async ({ id }: { id: string }) => {
          asked.push(id);
          return { type: "secret", value: secrets[id] };
        },
      },
    }) as unknown as AdminClient;
  const variables = { KEYCLOAK_WEB_CLIENT_SECRET: "s3cr3t-web", KEYCLOAK_CMS_CLIENT_SECRET: "s3cr3t-cms" };

  it("finds nothing when every confidential client has a real secret, and asks only for confidential clients'", async () => {
    const asked: string[] = [];
    const result = await checkRealm({ admin: adminWithSecrets({ "id-web": "s3cr3t-web", "id-cms": "s3cr3t-cms" }, asked), realm: "app", realmFile: clientsFile, variables });
    expect(result.differences).toEqual([]);
    expect(asked.sort()).toEqual(["id-cms", "id-web"]);
  });

  it("reports a live secret that is a placeholder's text, without printing it", async () => {
    const result = await checkRealm({
      admin: adminWithSecrets({ "id-web": "${KEYCLOAK_WEB_CLIENT_SECRET}", "id-cms": "${KEYCLOAK_CMS_CLIENT_SECRET:}" }),
      realm: "app",
      realmFile: clientsFile,
      variables,
    });
    expect(result.differences.map((d) => `${d.kind} ${d.path}`)).toEqual(["changed clients[web].secret", "changed clients[cms].secret"]);
    for (const difference of result.differences) {
      expect(difference.secret).toBe(true);
      const line = formatDifference(difference);
      expect(line).toContain("is placeholder text, not a secret");
      expect(line).not.toContain("${");
    }
  });

  it("reports it even when the check itself has no value for the variable (the file's secret is then not compared)", async () => {
    const result = await checkRealm({ admin: adminWithSecrets({ "id-web": "${KEYCLOAK_WEB_CLIENT_SECRET}", "id-cms": "x" }), realm: "app", realmFile: clientsFile, variables: {} });
    expect(result.differences.map((d) => d.path)).toEqual(["clients[web].secret"]);
    expect(result.unresolved).toEqual(["${KEYCLOAK_WEB_CLIENT_SECRET}", "${KEYCLOAK_CMS_CLIENT_SECRET}"]);
  });
});

describe("checkRealm and WebAuthn policy words", () => {
  it("reports a live word the browser would ignore, though the file says the same", async () => {
    const wrong = { realm: "app", webAuthnPolicyPasswordlessResidentKey: "Required" };
    const file = join(scratch, "webauthn-realm.json");
    writeFileSync(file, JSON.stringify(wrong));
    const admin = { realms: { export: async () => structuredClone(wrong) } } as unknown as AdminClient;
    const result = await checkRealm({ admin, realm: "app", realmFile: file, variables: {} });
    expect(result.differences.map((d) => `${d.kind} ${d.path}`)).toEqual(["changed webAuthnPolicyPasswordlessResidentKey"]);
  });
});
