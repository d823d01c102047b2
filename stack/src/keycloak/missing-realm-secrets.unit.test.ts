// The production topology's refusal to import a realm secret as placeholder
// text: the rule on small realms, and the shipped realm file with the
// variables stack/ gives Keycloak.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../stack-config.ts";
import { keycloakImportVariables, realmFile } from "./keycloak-server.ts";
import { assertRealmSecretsSet, missingRealmSecrets, RealmSecretsError } from "./missing-realm-secrets.ts";

const scratch = mkdtempSync(join(tmpdir(), "realm-secrets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shipped = readFileSync(realmFile, "utf8");
const from = (variables: Record<string, string>) => (name: string) => variables[name];
const placeholders = (realm: string, variables: Record<string, string>) => missingRealmSecrets(realm, from(variables)).map((m) => m.placeholder);

describe("missingRealmSecrets", () => {
  it("lists every client secret of the shipped realm file when nothing is set, with where it is", () => {
    expect(missingRealmSecrets(shipped, from({}))).toEqual([
      { placeholder: "${KEYCLOAK_WEB_CLIENT_SECRET}", path: "clients[web].secret" },
      { placeholder: "${KEYCLOAK_CMS_CLIENT_SECRET}", path: "clients[cms].secret" },
      { placeholder: "${KEYCLOAK_PUBLISHER_CLIENT_SECRET}", path: "clients[publisher].secret" },
    ]);
  });

  it("finds nothing in the shipped file with the variables the production topology gives Keycloak", () => {
    const prod = loadStackConfig("test-prod", { STACK_STATE_DIR: join(scratch, "test-prod") });
    const variables = keycloakImportVariables(prod, {});
    expect(missingRealmSecrets(shipped, (name) => variables[name])).toEqual([]);
  });

  it("counts a variable set to the empty string: Keycloak would import an empty secret", () => {
    expect(placeholders(shipped, { KEYCLOAK_WEB_CLIENT_SECRET: "", KEYCLOAK_CMS_CLIENT_SECRET: "cms-secret", KEYCLOAK_PUBLISHER_CLIENT_SECRET: "p" })).toEqual(["${KEYCLOAK_WEB_CLIENT_SECRET}"]);
  });

  it("counts the SMTP password only when SMTP authentication is on", () => {
    const clients = { KEYCLOAK_WEB_CLIENT_SECRET: "w", KEYCLOAK_CMS_CLIENT_SECRET: "c", KEYCLOAK_PUBLISHER_CLIENT_SECRET: "p" };
    expect(placeholders(shipped, clients)).toEqual([]);
    expect(missingRealmSecrets(shipped, from({ ...clients, SMTP_AUTH: "true" }))).toEqual([{ placeholder: "${SMTP_PASSWORD:}", path: "smtpServer.password" }]);
    expect(placeholders(shipped, { ...clients, SMTP_AUTH: "true", SMTP_PASSWORD: "relay-password" })).toEqual([]);
  });

  it("takes a non-empty default as a value, and an empty default as missing", () => {
    const realm = JSON.stringify({
      clients: [{ clientId: "a", secret: "${A_SECRET:}" }, { clientId: "b", secret: "${B_SECRET:fallback}" }],
      identityProviders: [{ alias: "p", config: { clientSecret: "${P_CLIENT_SECRET,OTHER_SECRET}" } }],
      attributes: { note: "${NOT_A_CREDENTIAL}" },
    });
    expect(missingRealmSecrets(realm, from({}))).toEqual([
      { placeholder: "${A_SECRET:}", path: "clients[a].secret" },
      { placeholder: "${P_CLIENT_SECRET,OTHER_SECRET}", path: "identityProviders[p].config.clientSecret" },
    ]);
    // Either name of an alternative resolves it.
    expect(placeholders(realm, { OTHER_SECRET: "x", A_SECRET: "y" })).toEqual([]);
  });

  it("matches secret names in any case", () => {
    expect(placeholders(JSON.stringify({ smtpServer: { auth: "true", password: "${smtp_password}" } }), {})).toEqual(["${smtp_password}"]);
  });
});

describe("assertRealmSecretsSet", () => {
  it("refuses with one error that names every missing placeholder and a stable code", () => {
    let error: unknown;
    try {
      assertRealmSecretsSet(shipped, from({ KEYCLOAK_CMS_CLIENT_SECRET: "" }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RealmSecretsError);
    expect((error as RealmSecretsError).code).toBe("ERR_REALM_SECRET_UNSET");
    expect((error as Error).message).toContain("${KEYCLOAK_WEB_CLIENT_SECRET} (clients[web].secret)");
    expect((error as Error).message).toContain("${KEYCLOAK_CMS_CLIENT_SECRET} (clients[cms].secret)");
  });

  it("passes when every secret has a value, and never repeats a value in the refusal", () => {
    expect(() => assertRealmSecretsSet(shipped, from({ KEYCLOAK_WEB_CLIENT_SECRET: "w-value", KEYCLOAK_CMS_CLIENT_SECRET: "c-value", KEYCLOAK_PUBLISHER_CLIENT_SECRET: "p-value" }))).not.toThrow();
    expect(() => assertRealmSecretsSet(shipped, from({ KEYCLOAK_WEB_CLIENT_SECRET: "w-value" }))).toThrow(/^(?![\s\S]*w-value)/);
  });
});
