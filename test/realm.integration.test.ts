// Issue 3: the realm Keycloak imported from keycloak/realm-export.json has the
// settings the product relies on, read back through the admin API.
import { beforeAll, describe, expect, it } from "vitest";
import { createAdminClient, type AdminClient } from "@stack/runner/keycloak/admin-client";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { unknownWebAuthnWords } from "@stack/runner/realm-check/webauthn-words";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rep = any;

let stack: StackEnv;
let admin: AdminClient;
let realm: Rep;
let exported: Rep;

beforeAll(async () => {
  stack = stackEnv();
  admin = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword });
  realm = await admin.realms.findOne({ realm: stack.realm });
  exported = await admin.realms.export({ realm: stack.realm, exportClients: true, exportGroupsAndRoles: true });
});

const flow = (alias: string): Rep => exported.authenticationFlows.find((f: Rep) => f.alias === alias);
const steps = (alias: string): string[] =>
  [...flow(alias).authenticationExecutions]
    .sort((a: Rep, b: Rep) => a.priority - b.priority)
    .map((e: Rep) => (e.authenticatorFlow ? `flow:${e.flowAlias}` : e.authenticator) + ` ${e.requirement}`);

describe("the imported app realm", () => {
  it("lets people register with their email as login, confirm it, and reset their password; one account per email", () => {
    expect(realm).toMatchObject({
      registrationAllowed: true,
      registrationEmailAsUsername: true,
      loginWithEmailAllowed: true,
      verifyEmail: true,
      resetPasswordAllowed: true,
      duplicateEmailsAllowed: false,
      editUsernameAllowed: false,
      loginTheme: "acme",
    });
  });

  it("has a real password policy and temporary (not permanent) brute-force lockout", () => {
    expect(realm.passwordPolicy).toContain("length(12)");
    expect(realm.passwordPolicy).toContain("notEmail");
    expect(realm).toMatchObject({ bruteForceProtected: true, permanentLockout: false });
    expect(realm.failureFactor).toBeGreaterThanOrEqual(3);
    expect(realm.failureFactor).toBeLessThanOrEqual(30);
    expect(realm.waitIncrementSeconds).toBeGreaterThan(0);
    expect(realm.maxFailureWaitSeconds).toBeGreaterThanOrEqual(realm.waitIncrementSeconds);
  });

  it("asks the browser for a discoverable passkey with user verification, in words the browser knows (Keycloak stores any word as given)", () => {
    expect(realm).toMatchObject({ webAuthnPolicyPasswordlessResidentKey: "required", webAuthnPolicyPasswordlessUserVerificationRequirement: "required" });
    expect(unknownWebAuthnWords(exported)).toEqual([]);
  });

  it("keeps tokens short and rotates refresh tokens", () => {
    expect(realm.accessTokenLifespan).toBeLessThanOrEqual(300);
    expect(realm).toMatchObject({ revokeRefreshToken: true, refreshTokenMaxReuse: 0, ssoSessionIdleTimeout: 1800, ssoSessionMaxLifespan: 36000 });
  });

  it("sends mail to the stack's mail catcher, with the SMTP settings from the import environment", () => {
    expect(exported.smtpServer).toMatchObject({ host: "localhost", from: "no-reply@example.com", fromDisplayName: "Acme", starttls: "false", auth: "false" });
    expect(Number(exported.smtpServer.port)).toBeGreaterThan(0);
  });

  it("records login and admin events, and forgets them after a bounded time", () => {
    expect(exported.eventsEnabled).toBe(true);
    expect(exported.eventsExpiration).toBeGreaterThan(0);
    expect(exported.adminEventsEnabled).toBe(true);
    expect(Number(exported.attributes.adminEventsExpiration)).toBeGreaterThan(0);
  });

  it("registers the web app's post-logout redirect and back-channel logout URLs", () => {
    const web = exported.clients.find((c: Rep) => c.clientId === "web");
    expect(web.redirectUris).toEqual([`${stack.webUrl}/api/auth/callback/keycloak`]);
    expect(web.attributes).toMatchObject({
      "post.logout.redirect.uris": `${stack.webUrl}/`,
      "backchannel.logout.url": `${stack.webUrl}/api/auth/backchannel-logout`,
      "backchannel.logout.session.required": "true",
      "pkce.code.challenge.method": "S256",
    });
    expect(web.directAccessGrantsEnabled).toBe(false);
  });

  it("refuses the password grant to every client, Keycloak's built-in admin-cli included (issue 10, item 4)", async () => {
    // Keycloak creates admin-cli public and with direct access grants on; the file declares it with them off.
    const adminCli = exported.clients.find((c: Rep) => c.clientId === "admin-cli");
    expect(adminCli).toMatchObject({ publicClient: true, directAccessGrantsEnabled: false, standardFlowEnabled: false });
    for (const client of exported.clients) expect(client.directAccessGrantsEnabled, client.clientId).toBe(false);
    const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: "alice@example.com", password: "alice-demo-password" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unauthorized_client" });
  });

  it("keeps the built-in clients the admin console needs, after importing a file that declares admin-cli", async () => {
    expect(exported.clients.map((c: Rep) => c.clientId)).toEqual(
      expect.arrayContaining(["account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"]),
    );
    // The realm's own admin console starts its sign-in through security-admin-console.
    const adminConsole = await fetch(`${stack.keycloakUrl}/admin/${stack.realm}/console/`);
    expect(adminConsole.status).toBe(200);
  });

  it("requires HTTPS from non-private addresses on this plain-HTTP loopback stack; the file's default is all", () => {
    // stack/ sets KEYCLOAK_SSL_REQUIRED=external for every local stack (keycloak-server.ts explains why).
    expect(realm.sslRequired).toBe("external");
  });

  it("has Google and GitHub, off while their credentials are unset; only Google's email is trusted", () => {
    const google = exported.identityProviders.find((p: Rep) => p.alias === "google");
    const github = exported.identityProviders.find((p: Rep) => p.alias === "github");
    expect(google).toMatchObject({ providerId: "google", enabled: false, trustEmail: true, firstBrokerLoginFlowAlias: "first broker login" });
    expect(github).toMatchObject({ providerId: "github", enabled: false, trustEmail: false, firstBrokerLoginFlowAlias: "first broker login untrusted email" });
  });

  it("links an existing account to a provider only after re-authentication, never automatically", () => {
    expect(steps("first broker login")).toEqual(["idp-review-profile REQUIRED", "flow:first broker login - create or link REQUIRED"]);
    expect(steps("first broker login - create or link")).toEqual([
      "idp-create-user-if-unique ALTERNATIVE",
      "flow:first broker login - link existing account ALTERNATIVE",
    ]);
    expect(steps("first broker login - link existing account")).toEqual(["idp-confirm-link REQUIRED", "flow:first broker login - re-authenticate REQUIRED"]);
    expect(steps("first broker login - re-authenticate")[0]).toBe("idp-username-password-form REQUIRED");
    const everywhere = exported.authenticationFlows.flatMap((f: Rep) => f.authenticationExecutions.map((e: Rep) => e.authenticator));
    expect(everywhere).not.toContain("idp-auto-link");
    // Every provider, the overlay's mocks included, goes through that flow or the one below, by whether its email is trusted.
    for (const provider of exported.identityProviders) {
      expect(provider.firstBrokerLoginFlowAlias).toBe(provider.trustEmail ? "first broker login" : "first broker login untrusted email");
    }
  });

  it("creates no account from a provider whose email is not trusted, and makes that the default for new providers (decision record 0045)", () => {
    expect(exported.firstBrokerLoginFlow).toBe("first broker login untrusted email");
    expect(steps("first broker login untrusted email")).toEqual([
      "idp-review-profile REQUIRED",
      "idp-detect-existing-broker-user REQUIRED",
      "idp-confirm-link REQUIRED",
      "idp-username-password-form REQUIRED",
      "flow:first broker login untrusted email - conditional OTP CONDITIONAL",
    ]);
    expect(steps("first broker login untrusted email - conditional OTP")).toEqual(["conditional-user-configured REQUIRED", "auth-otp-form REQUIRED"]);
  });

  it("still has Keycloak's default client scopes: tokens carry sub and realm roles", async () => {
    const { access_token } = await tokensFor(stack, "alice@example.com", "alice-demo-password");
    const claims = JSON.parse(Buffer.from(access_token.split(".")[1]!, "base64url").toString());
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.realm_access.roles).toContain("user");
    expect(claims.aud).toContain("cms");
  });

  it("shows Acme's login theme", async () => {
    const response = await fetch(
      `${stack.issuer}/protocol/openid-connect/auth?${new URLSearchParams({ client_id: "web", response_type: "code", scope: "openid", redirect_uri: `${stack.webUrl}/api/auth/callback/keycloak`, code_challenge: "x".repeat(43), code_challenge_method: "S256" })}`,
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("Sign in to Acme");
    expect(html).toMatch(/resources\/[^"]+\/login\/acme\/css\/acme\.css/);
    expect(html).toContain('class="acme-wordmark"');
  });
  it("has the API's clients of issue 13: mobile (code + PKCE S256, RFC 8252 redirects), cli (device grant, DPoP-bound), publisher (client credentials, own role)", async () => {
    const client = (clientId: string): Rep => exported.clients.find((c: Rep) => c.clientId === clientId);
    expect(client("mobile")).toMatchObject({ publicClient: true, standardFlowEnabled: true, directAccessGrantsEnabled: false, serviceAccountsEnabled: false });
    expect(client("mobile").attributes["pkce.code.challenge.method"]).toBe("S256");
    expect(client("mobile").redirectUris).toEqual(expect.arrayContaining(["http://127.0.0.1/oauth/callback", "com.example.notes:/oauth/callback"]));
    expect(client("cli")).toMatchObject({ publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: false });
    expect(client("cli").attributes).toMatchObject({ "oauth2.device.authorization.grant.enabled": "true", "dpop.bound.access.tokens": "true" });
    expect(client("publisher")).toMatchObject({ publicClient: false, standardFlowEnabled: false, serviceAccountsEnabled: true, directAccessGrantsEnabled: false });
    for (const id of ["mobile", "cli", "publisher"]) expect(client(id).defaultClientScopes).toContain("cms-audience");
    expect(client("publisher").defaultClientScopes).toContain("articles:write");
    expect(client("mobile").optionalClientScopes).toEqual(expect.arrayContaining(["notes:read", "notes:write", "articles:write"]));

    const [publisher] = await admin.clients.find({ realm: stack.realm, clientId: "publisher" });
    const serviceAccount = await admin.clients.getServiceAccountUser({ realm: stack.realm, id: publisher!.id! });
    const roles = (await admin.users.listRealmRoleMappings({ realm: stack.realm, id: serviceAccount.id! })).map((role) => role.name);
    expect(roles).toEqual(["publisher"]);
    expect(serviceAccount.email).toBeUndefined();
  });

  it("starts a device authorization for the cli client", async () => {
    const response = await fetch(`${stack.issuer}/protocol/openid-connect/auth/device`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "cli", scope: "openid notes:read" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ device_code: expect.any(String), user_code: expect.any(String), verification_uri_complete: expect.stringContaining("/device") });
  });
});
