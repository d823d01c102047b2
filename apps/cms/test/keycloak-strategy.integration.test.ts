// The Keycloak strategy against the real Keycloak and the running Strapi:
// which tokens are accepted, revocation, key rotation and role changes made
// through Keycloak's admin API.
import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { AUTH_ERROR_CODES } from "../src/auth/token/auth-error.ts";
import { callCms, type CmsResponse } from "./support/call-cms.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const newUser = (label: string) => fixture.newUser(`cms-${label}`);

const signIn = async (user: DisposableUser) => tokensFor(stack, user.email, user.password);

function expectRefused(response: CmsResponse, code: (typeof AUTH_ERROR_CODES)[number]) {
  expect(response.status).toBe(401);
  expect(response.json?.error?.code).toBe(code);
  expect(response.headers.get("www-authenticate")).toBe(
    `Bearer error="invalid_token", error_description="${response.json.error.message}"`,
  );
}

/**
 * Polls until Strapi refuses the token. Revocation reaches Strapi after the
 * revocation window (5 s by default); the deadline only bounds a broken run.
 */
async function refusedWithin(token: string, deadlineMs = 30_000): Promise<CmsResponse> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    const response = await callCms(stack, "/api/notes", { token });
    if (response.status !== 200 || Date.now() > giveUpAt) return response;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("tokens Strapi accepts", () => {
  it("accepts an access token of the web client and provisions the user from it", async () => {
    const user = await newUser("web-client");
    const tokens = await signIn(user);
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ azp: "web", typ: "Bearer", iss: stack.issuer });
    expect(claims.aud).toContain("cms");

    const notes = await callCms(stack, "/api/notes", { token: tokens.access_token });
    expect(notes.status).toBe(200);
    const me = await callCms(stack, "/api/users/me", { token: tokens.access_token });
    expect(me.json).toMatchObject({ email: user.email, username: user.email, provider: "keycloak", confirmed: true });
    expect(me.json.keycloakSub).toBeUndefined();
  });

  it("rejects the ID token used as a bearer token", async () => {
    const tokens = await signIn(await newUser("id-token"));
    expect(decodeJwt(tokens.id_token).typ).toBe("ID");
    expectRefused(await callCms(stack, "/api/notes", { token: tokens.id_token }), "invalid_token_type");
  });

  it("rejects the refresh token used as a bearer token", async () => {
    const tokens = await signIn(await newUser("refresh-token"));
    const response = await callCms(stack, "/api/notes", { token: tokens.refresh_token });
    expect(response.status).toBe(401);
    // Keycloak signs refresh tokens with the realm's HMAC key: refused for the algorithm already.
    expect(["unsupported_algorithm", "invalid_token_type"]).toContain(response.json.error.code);
  });

  it("rejects a token from another realm on the same Keycloak", async () => {
    const realm = `cms-foreign-${randomUUID().slice(0, 8)}`;
    const secret = `foreign-${randomUUID()}`;
    await fixture.admin.client.realms.create({ realm, enabled: true });
    try {
      // A look-alike of the app realm: client `web`, `cms` audience, a verified user.
      await fixture.admin.client.clients.create({
        realm,
        clientId: "web",
        publicClient: false,
        secret,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        redirectUris: [`${stack.webUrl}/api/auth/callback/keycloak`],
        attributes: { "pkce.code.challenge.method": "S256" },
        protocolMappers: [
          {
            name: "cms audience",
            protocol: "openid-connect",
            protocolMapper: "oidc-audience-mapper",
            config: { "included.custom.audience": "cms", "access.token.claim": "true", "id.token.claim": "false" },
          },
        ],
      });
      // Deleted with its realm below.
      const stranger = { email: `stranger-${randomUUID().slice(0, 8)}@example.test`, password: `pw-${randomUUID()}` };
      await fixture.admin.client.users.create({
        realm,
        username: stranger.email,
        email: stranger.email,
        firstName: "Test",
        lastName: "Stranger",
        enabled: true,
        emailVerified: true,
        credentials: [{ type: "password", value: stranger.password, temporary: false }],
      });
      const tokens = await tokensFor(stack, stranger.email, stranger.password, { realm, clientSecret: secret });
      const claims = decodeJwt(tokens.access_token);
      expect(claims).toMatchObject({ iss: `${stack.keycloakUrl}/realms/${realm}`, azp: "web" });
      expect(claims.aud).toContain("cms");

      expectRefused(await callCms(stack, "/api/notes", { token: tokens.access_token }), "invalid_issuer");
    } finally {
      await fixture.admin.client.realms.del({ realm });
    }
  });
});

describe("revocation", () => {
  it("refuses the same access token within the window after an admin signs the user out", async () => {
    const user = await newUser("admin-logout");
    const { access_token } = await signIn(user);
    expect((await callCms(stack, "/api/notes", { token: access_token })).status).toBe(200);

    await fixture.admin.logoutUser(user);

    expectRefused(await refusedWithin(access_token), "session_revoked");
    // The token itself is still unexpired and correctly signed.
    expect(decodeJwt(access_token).exp! * 1000).toBeGreaterThan(Date.now());
  });

  it("refuses a disabled user's token within the window", async () => {
    const user = await newUser("disabled");
    const { access_token } = await signIn(user);
    expect((await callCms(stack, "/api/notes", { token: access_token })).status).toBe(200);

    await fixture.admin.disableUser(user);

    expectRefused(await refusedWithin(access_token), "session_revoked");
  });

  it("keeps other sessions of the user working when one session ends", async () => {
    const user = await newUser("two-sessions");
    const first = await signIn(user);
    const second = await signIn(user);
    expect(decodeJwt(first.access_token).sid).not.toBe(decodeJwt(second.access_token).sid);

    const sessions = await fixture.admin.client.users.listSessions({ id: user.id });
    const firstSid = decodeJwt(first.access_token).sid;
    const session = sessions.find((s) => s.id === firstSid);
    expect(session?.id).toBeDefined();
    await fixture.admin.client.realms.deleteSession({ realm: stack.realm, session: session!.id!, isOffline: false });

    expectRefused(await refusedWithin(first.access_token), "session_revoked");
    expect((await callCms(stack, "/api/notes", { token: second.access_token })).status).toBe(200);
  });
});

describe("realm key rotation", () => {
  it("accepts tokens signed with a new key without restarting Strapi, and refuses the disabled key", async () => {
    const user = await newUser("rotation");
    const before = await signIn(user);
    expect((await callCms(stack, "/api/notes", { token: before.access_token })).status).toBe(200);
    const oldKid = decodeProtectedHeader(before.access_token).kid as string;

    const realm = await fixture.admin.client.realms.findOne({ realm: stack.realm });
    const providers = await fixture.admin.client.components.find({ parent: realm!.id!, type: "org.keycloak.keys.KeyProvider" });
    const keys = await fixture.admin.client.realms.getKeys({ realm: stack.realm });
    const oldProviderId = keys.keys?.find((key) => key.kid === oldKid)?.providerId;
    const oldProvider = providers.find((provider) => provider.id === oldProviderId);
    expect(oldProvider, "the provider of the realm's current RS256 key").toBeDefined();

    const name = `cms-rotation-${randomUUID().slice(0, 8)}`;
    await fixture.admin.client.components.create({
      name,
      providerId: "rsa-generated",
      providerType: "org.keycloak.keys.KeyProvider",
      parentId: realm!.id!,
      config: { priority: ["1000"], enabled: ["true"], active: ["true"], algorithm: ["RS256"], keySize: ["2048"] },
    });
    const setOldEnabled = (enabled: boolean) =>
      fixture.admin.client.components.update(
        { id: oldProvider!.id! },
        { ...oldProvider, config: { ...oldProvider!.config, enabled: [String(enabled)] } },
      );
    try {
      await setOldEnabled(false);

      const after = await signIn(user);
      const newKid = decodeProtectedHeader(after.access_token).kid;
      expect(newKid).not.toBe(oldKid);
      expect((await callCms(stack, "/api/notes", { token: after.access_token })).status).toBe(200);

      const old = await callCms(stack, "/api/notes", { token: before.access_token });
      expect(old.status).toBe(401);
      expect(["unknown_key", "session_revoked"]).toContain(old.json.error.code);
    } finally {
      await setOldEnabled(true);
      const created = await fixture.admin.client.components.find({ parent: realm!.id!, name });
      for (const component of created) await fixture.admin.client.components.del({ id: component.id! });
    }
    // Back on the original key: a fresh token works again.
    const restored = await signIn(user);
    expect(decodeProtectedHeader(restored.access_token).kid).toBe(oldKid);
    expect((await callCms(stack, "/api/notes", { token: restored.access_token })).status).toBe(200);
  });
});

describe("realm roles", () => {
  it("gives editor rights with the next token after the role is granted in Keycloak, and takes them back", async () => {
    const user = await newUser("promoted");
    const article = { data: { title: `By a new editor ${randomUUID().slice(0, 8)}`, body: "Hello" } };
    const asUser = await signIn(user);
    expect((await callCms(stack, "/api/articles", { method: "POST", token: asUser.access_token, body: article })).status).toBe(403);

    const editor = await fixture.admin.client.roles.findOneByName({ name: "editor" });
    await fixture.admin.client.users.addRealmRoleMappings({ id: user.id, roles: [{ id: editor!.id!, name: "editor" }] });
    const asEditor = await signIn(user);
    expect(decodeJwt<{ realm_access: { roles: string[] } }>(asEditor.access_token).realm_access.roles).toContain("editor");
    const created = await callCms(stack, "/api/articles", { method: "POST", token: asEditor.access_token, body: article });
    expect(created.status).toBe(201);
    // Roles come from the token: the token issued before the grant still has none.
    expect((await callCms(stack, "/api/articles", { method: "POST", token: asUser.access_token, body: article })).status).toBe(403);

    const documentId = created.json.data.documentId as string;
    await fixture.admin.client.users.delRealmRoleMappings({ id: user.id, roles: [{ id: editor!.id!, name: "editor" }] });
    const demoted = await signIn(user);
    const edit = await callCms(stack, `/api/articles/${documentId}`, {
      method: "PUT",
      token: demoted.access_token,
      body: { data: { title: "Edited after demotion" } },
    });
    expect(edit.status).toBe(403);
    expect((await callCms(stack, `/api/articles/${documentId}`, { method: "DELETE", token: asEditor.access_token })).status).toBe(204);
  });
});

describe("Strapi's own credentials are off", () => {
  it.each([
    ["POST", "/api/auth/local"],
    ["POST", "/api/auth/local/register"],
    ["POST", "/api/auth/forgot-password"],
    ["POST", "/api/auth/reset-password"],
    ["GET", "/api/auth/email-confirmation?confirmation=x"],
    ["POST", "/api/auth/send-email-confirmation"],
    ["POST", "/api/auth/change-password"],
    ["POST", "/api/auth/refresh"],
    ["GET", "/api/connect/github"],
    ["GET", "/api/auth/github/callback?access_token=x"],
  ])("%s %s answers 410 and points at Keycloak", async (method, path) => {
    const response = await callCms(stack, path, {
      method,
      body: method === "POST" ? { identifier: "alice@example.com", password: "alice-demo-password", email: "a@b.c" } : undefined,
    });
    expect(response.status).toBe(410);
    expect(response.json.error).toMatchObject({ code: "local_auth_disabled", details: { issuer: stack.issuer } });
    expect(response.text).not.toContain("jwt");
  });

  it("refuses Strapi-style credentials on every content-API route, not only the product's", async () => {
    for (const path of ["/api/users/me", "/api/users", "/api/upload/files", "/api/i18n/locales", "/api/notes"]) {
      const response = await callCms(stack, path, { token: "not-a-jwt" });
      expect(response.status, path).toBe(401);
      expect(response.json.error.code, path).toBe("malformed_token");
    }
  });
});
