// Strapi with its admin panel turned on (CMS_ADMIN_PANEL=true), as a second
// instance next to the test stack's (which keeps it off): the first admin comes
// from the deployment's secrets before Strapi listens, so register-admin never
// makes anyone an admin; what an admin then does in the panel (block a user,
// grant users-permissions permissions) works, and granting
// `plugin::users-permissions.user.find` still lets nobody move a note or an
// article to another user.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { startExtraCms, type ExtraCms } from "./drills/support/extra-cms-instance.ts";
import { callJson } from "./support/call-json.ts";
import { ATTACKER_ADMIN } from "./support/closed-cms-requests.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const FIRST_ADMIN = { email: "cms-panel-admin@example.com", password: "Panel-admin-secret-2024" };
const dataDir = mkdtempSync(join(tmpdir(), "cms-admin-panel-"));
const databaseFile = join(dataDir, "data.db");
let cms: ExtraCms;
/** This instance's base URL. */
let panel: string;

beforeAll(async () => {
  cms = await startExtraCms("cms-admin-panel", {
    CMS_ADMIN_PANEL: "true",
    CMS_ADMIN_EMAIL: FIRST_ADMIN.email,
    CMS_ADMIN_PASSWORD: FIRST_ADMIN.password,
    DATABASE_FILENAME: databaseFile,
    // The running stack's own value (its runner's), for the revocation check's introspection.
    KEYCLOAK_CMS_CLIENT_SECRET: stack.cmsClientSecret,
    // Keycloak keeps one Shared Signals stream per receiver client: a second
    // Strapi registering its own would take the running stack's away.
    KEYCLOAK_REVOCATION: "introspection",
  });
  panel = cms.url;
});

afterAll(async () => {
  await cms?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const adminEmails = (): string[] => {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  try {
    return (db.prepare("SELECT email FROM admin_users ORDER BY id").all() as { email: string }[]).map((row) => row.email);
  } finally {
    db.close();
  }
};

const adminLogin = (email: string, password: string) => callJson(panel, "/admin/login", { method: "POST", body: { email, password } });

async function adminToken(): Promise<string> {
  const login = await adminLogin(FIRST_ADMIN.email, FIRST_ADMIN.password);
  expect(login.status, login.text).toBe(200);
  return login.json.data.token as string;
}

describe("the first admin", () => {
  it("exists from the secrets as soon as Strapi answers, and register-admin creates nobody", async () => {
    expect(adminEmails()).toEqual([FIRST_ADMIN.email]);
    expect((await callJson(panel, "/admin/init")).json.data.hasAdmin).toBe(true);

    const registered = await callJson(panel, "/admin/register-admin", { method: "POST", body: ATTACKER_ADMIN });
    expect(registered.status).toBe(400);
    expect(registered.text).not.toMatch(/"token"/);
    expect(adminEmails()).toEqual([FIRST_ADMIN.email]);
    expect((await adminLogin(ATTACKER_ADMIN.email, ATTACKER_ADMIN.password)).status).toBe(400);

    expect(typeof (await adminToken())).toBe("string");
  });

  it("cannot be signed in with a Keycloak access token", async () => {
    const user = await fixture.newUser("panel-outsider");
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const response = await callJson(panel, "/content-manager/collection-types/api::note.note", { token: access_token });
    expect(response.status).toBe(401);
  });
});

describe("what an admin does in the panel", () => {
  it("refuses a user an admin blocked in Strapi, and serves them again once unblocked", async () => {
    const user = await fixture.newUser("panel-blocked");
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const me = await callJson(panel, "/api/users/me", { token: access_token });
    expect(me.status).toBe(200);

    const admin = await adminToken();
    const setBlocked = (blocked: boolean) =>
      callJson(panel, `/content-manager/collection-types/plugin::users-permissions.user/${me.json.documentId}`, {
        method: "PUT",
        token: admin,
        body: { blocked },
      });
    expect((await setBlocked(true)).status).toBe(200);
    const refused = await callJson(panel, "/api/notes", { token: access_token });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe("user_blocked");
    expect((await setBlocked(false)).status).toBe(200);
    expect((await callJson(panel, "/api/notes", { token: access_token })).status).toBe(200);
  });

  it("granting users-permissions' user.find moves no note and no article to another user", async () => {
    const [a, b, e] = await Promise.all([fixture.newUser("panel-alice"), fixture.newUser("panel-bob"), fixture.newUser("panel-editor")]);
    const editorRole = await fixture.admin.client.roles.findOneByName({ name: "editor" });
    await fixture.admin.client.users.addRealmRoleMappings({ id: e.id, roles: [{ id: editorRole!.id!, name: "editor" }] });
    const [alice, bob, editor] = await Promise.all([a, b, e].map(async (u) => (await tokensFor(stack, u.email, u.password)).access_token));
    const bobsUser = (await callJson(panel, "/api/users/me", { token: bob })).json as { id: number; documentId: string };

    // Before the grant, the permission is missing: Strapi lists no users.
    expect((await callJson(panel, "/api/users", { token: alice })).status).toBe(403);

    const admin = await adminToken();
    const roles = await callJson(panel, "/users-permissions/roles", { token: admin });
    const authenticated = (roles.json.roles as { id: number; type: string }[]).find((role) => role.type === "authenticated")!;
    const role = (await callJson(panel, `/users-permissions/roles/${authenticated.id}`, { token: admin })).json.role;
    const userActions = role.permissions["plugin::users-permissions"].controllers.user;
    userActions.find.enabled = true;
    userActions.findOne.enabled = true;
    const granted = await callJson(panel, `/users-permissions/roles/${authenticated.id}`, {
      method: "PUT",
      token: admin,
      body: { name: role.name, description: role.description, permissions: role.permissions },
    });
    expect(granted.status, granted.text).toBe(200);
    // The grant is live: the same user now lists users.
    expect((await callJson(panel, "/api/users", { token: alice })).status).toBe(200);

    const created = await callJson(panel, "/api/notes", { method: "POST", token: alice, body: { data: { title: "Alice keeps this" } } });
    expect(created.status, created.text).toBe(201);
    const note = created.json.data.documentId as string;
    const owners = [
      bobsUser.id,
      bobsUser.documentId,
      { connect: [bobsUser.id] },
      { connect: [{ documentId: bobsUser.documentId }] },
      { set: [bobsUser.id] },
      null,
    ];
    for (const owner of owners) {
      const moved = await callJson(panel, `/api/notes/${note}`, { method: "PUT", token: alice, body: { data: { title: "moved", owner } } });
      expect(moved.status, JSON.stringify(owner)).toBe(400);
      expect(moved.json.error.code).toBe("owner_not_writable");
      const planted = await callJson(panel, "/api/notes", { method: "POST", token: alice, body: { data: { title: "planted", owner } } });
      expect(planted.status, JSON.stringify(owner)).toBe(400);
      expect(planted.json.error.code).toBe("owner_not_writable");
    }
    expect((await callJson(panel, `/api/notes/${note}`, { token: alice })).json.data.title).toBe("Alice keeps this");
    expect((await callJson(panel, `/api/notes/${note}`, { token: bob })).status).toBe(404);
    expect((await callJson(panel, "/api/notes", { token: bob })).json.data).toEqual([]);

    const article = await callJson(panel, "/api/articles", { method: "POST", token: editor, body: { data: { title: "Editor's own" } } });
    expect(article.status, article.text).toBe(201);
    for (const author of [bobsUser.id, bobsUser.documentId, { connect: [bobsUser.id] }, { set: [{ documentId: bobsUser.documentId }] }]) {
      const reassigned = await callJson(panel, `/api/articles/${article.json.data.documentId}`, {
        method: "PUT",
        token: editor,
        body: { data: { title: "Reassigned", author } },
      });
      expect(reassigned.status, JSON.stringify(author)).toBe(400);
      expect(reassigned.json.error.code).toBe("owner_not_writable");
    }
  });
});
