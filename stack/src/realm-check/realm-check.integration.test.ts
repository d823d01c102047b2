// realm:check against the real Keycloak: a realm imported from
// keycloak/realm-export.json shows no drift; changes made through the admin
// API show up, and `realm:check` exits 1. The realm is a throwaway copy, so
// the stack's `app` realm (with its dev overlay) is left alone.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient, type AdminClient } from "../keycloak/admin-client.ts";
import { realmFile } from "../keycloak/keycloak-server.ts";
import { applyApiClientScopes } from "../keycloak/api-client-scopes.ts";
import { repoRoot } from "../stack-config.ts";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { checkRealm } from "./check-realm.ts";
import { resolvePlaceholders } from "./resolve-placeholders.ts";

let stack: StackEnv;
let admin: AdminClient;
let realm: string;
let variables: Record<string, string>;

beforeAll(async () => {
  stack = stackEnv();
  admin = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword });
  realm = `realm-check-${randomUUID().slice(0, 8)}`;
  // The variables an operator would have given Keycloak for this realm.
  variables = {
    KEYCLOAK_WEB_CLIENT_SECRET: stack.webClientSecret,
    KEYCLOAK_CMS_CLIENT_SECRET: stack.cmsClientSecret,
    KEYCLOAK_PUBLISHER_CLIENT_SECRET: stack.publisherClientSecret,
    WEB_URL: "https://app.acme.example",
    WEB_INTERNAL_URL: "http://web.internal:3000",
    SMTP_HOST: "smtp.acme.example",
    SMTP_FROM: "no-reply@acme.example",
    KEYCLOAK_GITHUB_ENABLED: "true",
    KEYCLOAK_GITHUB_CLIENT_ID: "github-client-id",
    KEYCLOAK_GITHUB_CLIENT_SECRET: "github-client-secret",
  };
  const representation = JSON.parse(resolvePlaceholders(readFileSync(realmFile, "utf8"), (name) => variables[name]).text);
  // Keycloak's realm import and its create-realm endpoint run the same import code.
  await admin.realms.create({ ...representation, realm });
  // The step after every import: the API's client scopes (decision 0080).
  await applyApiClientScopes(admin, realm, readFileSync(realmFile, "utf8"));
});

afterAll(async () => {
  await admin?.realms.del({ realm }).catch(() => undefined);
});

function realmCheck(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, "stack", "src", "cli.ts"), "realm:check"], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        ...variables,
        KEYCLOAK_URL: stack.keycloakUrl,
        KEYCLOAK_REALM: realm,
        KEYCLOAK_ADMIN_USER: stack.adminUser,
        KEYCLOAK_ADMIN_PASSWORD: stack.adminPassword,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("realm:check", () => {
  it("finds no differences in a realm imported from the file with the same variables", async () => {
    const result = await checkRealm({ admin, realm, realmFile, variables });
    expect(result.differences).toEqual([]);
    expect(result.unresolved).toEqual([]);
    const run = await realmCheck({});
    expect(run.output).toContain("No differences.");
    expect(run.code).toBe(0);
  });

  it("reports a variable that differs from the one Keycloak imported with", async () => {
    const result = await checkRealm({ admin, realm, realmFile, variables: { ...variables, WEB_URL: "https://other.example" } });
    expect(result.differences.map((d) => d.path)).toEqual(
      expect.arrayContaining(["clients[web].redirectUris", 'clients[web].attributes["post.logout.redirect.uris"]', "clients[web].rootUrl"]),
    );
  });

  it("reports changes made through the admin API, and exits 1", async () => {
    const current = await admin.realms.findOne({ realm });
    await admin.realms.update({ realm }, { ...current, accessTokenLifespan: 3600, bruteForceProtected: false });
    const [web] = await admin.clients.find({ realm, clientId: "web" });
    await admin.clients.update({ realm, id: web!.id! }, { ...web, redirectUris: [...(web!.redirectUris ?? []), "https://evil.example/*"] });
    const github = await admin.identityProviders.findOne({ realm, alias: "github" });
    await admin.identityProviders.update({ realm, alias: "github" }, { ...github!, trustEmail: true });
    await admin.authenticationManagement.addExecutionToFlow({ realm, flow: "first broker login - link existing account", provider: "idp-auto-link" });

    const result = await checkRealm({ admin, realm, realmFile, variables });
    expect(result.differences.map((d) => `${d.kind} ${d.path}`).sort()).toEqual(
      [
        "changed accessTokenLifespan",
        "changed bruteForceProtected",
        "unexpected clients[web].redirectUris",
        "changed identityProviders[github].trustEmail",
        "changed authenticationFlows[first broker login - link existing account].executions",
      ].sort(),
    );

    const run = await realmCheck({});
    expect(run.code).toBe(1);
    expect(run.output).toContain("changed    accessTokenLifespan: file 300, live 3600");
    expect(run.output).toContain("unexpected clients[web].redirectUris: [\"https://evil.example/*\"]");
    expect(run.output).toContain("idp-auto-link");
    expect(run.output).toContain("5 difference(s).");
    // Secrets are compared but never printed.
    expect(run.output).not.toContain(stack.webClientSecret);
    expect(run.output).not.toContain("github-client-secret");
  });

  it("reports a built-in client given the password grant, and admin-cli given it back (issue 10, item 4)", async () => {
    for (const clientId of ["account-console", "admin-cli"]) {
      const [client] = await admin.clients.find({ realm, clientId });
      await admin.clients.update({ realm, id: client!.id! }, { ...client, directAccessGrantsEnabled: true });
    }
    const result = await checkRealm({ admin, realm, realmFile, variables });
    const paths = result.differences.map((d) => `${d.kind} ${d.path}`);
    expect(paths).toContain("changed clients[account-console].directAccessGrantsEnabled");
    expect(paths).toContain("changed clients[admin-cli].directAccessGrantsEnabled");
  });

  it("reports a live client secret that is a placeholder's text, read through the client-secret endpoint (issue 10, item 10)", async () => {
    const [cms] = await admin.clients.find({ realm, clientId: "cms" });
    // What Keycloak imports when KEYCLOAK_CMS_CLIENT_SECRET is unset.
    await admin.clients.update({ realm, id: cms!.id! }, { ...cms, secret: "${KEYCLOAK_CMS_CLIENT_SECRET}" });
    const result = await checkRealm({ admin, realm, realmFile, variables });
    expect(result.differences).toContainEqual(expect.objectContaining({ path: "clients[cms].secret", kind: "changed", secret: true }));
    const run = await realmCheck({});
    expect(run.code).toBe(1);
    expect(run.output).toContain("clients[cms].secret: is placeholder text, not a secret");
    expect(run.output).not.toContain("${KEYCLOAK_CMS_CLIENT_SECRET}");
  });

  it("reports a WebAuthn word the browser ignores, which Keycloak stores as given (the file once said \"Required\")", async () => {
    const current = await admin.realms.findOne({ realm });
    // The admin client's types predate the setting; Keycloak's representation has it.
    const wrong: Record<string, unknown> = { ...current, webAuthnPolicyPasswordlessResidentKey: "Required" };
    await admin.realms.update({ realm }, wrong);
    expect(((await admin.realms.findOne({ realm })) as Record<string, unknown> | undefined)?.webAuthnPolicyPasswordlessResidentKey).toBe("Required");
    const run = await realmCheck({});
    expect(run.code).toBe(1);
    expect(run.output).toContain('webAuthnPolicyPasswordlessResidentKey: Required is not one of "not specified", "discouraged", "preferred", "required"');
  });

  it("exits 2 with a reason when it cannot sign in", async () => {
    const run = await realmCheck({ KEYCLOAK_ADMIN_PASSWORD: "not-the-password" });
    expect(run.code).toBe(2);
    expect(run.output).toContain("could not read realm");
    expect(run.output).not.toContain("not-the-password");
  });
});
