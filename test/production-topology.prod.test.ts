// The production topology is real: two web and two Strapi instances that share
// PostgreSQL and Redis behave as one app, and restarting Keycloak or Strapi
// loses nothing (users, notes, sessions). The refresh storm and back-channel
// logout across instances are in apps/web/test/shared-refresh.prod.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";
import { callJson } from "./support/call-json.ts";
import { ATTACKER_ADMIN, CLOSED_CMS_REQUESTS } from "./support/closed-cms-requests.ts";

const stack = prodStackEnv();
const realm = realmFixture(stack);
const disposableUser = (label: string) => realm.newUser(label);
let cmsInstances: string[];

beforeAll(async () => {
  cmsInstances = (process.env.STACK_CMS_INSTANCE_URLS ?? "").split(",").filter(Boolean);
  expect(cmsInstances.length).toBeGreaterThanOrEqual(2);
  // The Keycloak-restart test counts REFRESH_TOKEN events, which Keycloak stores only when told to.
  await realm.admin.storeLoginEvents();
});

/** The browser's session cookie, sent to one particular web instance. */
function page(instance: string, session: WebSession, path: string): Promise<Response> {
  return fetch(new URL(path, instance), { headers: { cookie: session.jar.header(stack.webUrl) }, redirect: "manual" });
}

async function noteTitles(baseUrl: string, accessToken: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/notes`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { title: string }[] }).data.map((note) => note.title);
}

async function createNote(baseUrl: string, accessToken: string, title: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title, body: "written in the production-mode suite" } }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

describe("several instances behave as one app", () => {
  it("one session works on every web instance, and each shows the notes Strapi served for that user", async () => {
    const user = await disposableUser("instances");
    // Through the public origin, as a browser does; the proxy picks the instances.
    const session = await signInToWeb(stack, user.email, user.password);
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const title = `written through cms instance 1 (${Date.now()})`;
    await createNote(cmsInstances[0]!, access_token, title);

    for (const instance of stack.webInstanceUrls) {
      const response = await page(instance, session, "/notes");
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(user.name);
      expect(html).toContain(title);
    }
  });

  it("a note written through Strapi instance 1 is read through Strapi instance 2, and the user exists once", async () => {
    const user = await disposableUser("cms-instances");
    const { access_token } = await tokensFor(stack, user.email, user.password);
    // First sight of the subject on both instances at once: one Strapi user, not two.
    const [first, second] = await Promise.all(cmsInstances.map((url) => noteTitles(url, access_token)));
    expect(first).toEqual([]);
    expect(second).toEqual([]);
    const title = `shared note ${Date.now()}`;
    await createNote(cmsInstances[0]!, access_token, title);
    expect(await noteTitles(cmsInstances[1]!, access_token)).toEqual([title]);
  });
});

describe("restarts lose nothing", () => {
  it("Keycloak restarted (every node down, then up): the user, their notes and their web session survive, and the session refreshes afterwards", async () => {
    const user = await disposableUser("keycloak-restart");
    const session = await signInToWeb(stack, user.email, user.password);
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const title = `before the Keycloak restart ${Date.now()}`;
    await createNote(stack.cmsUrl, access_token, title);

    const signedInAt = Date.now();
    // The whole cluster down at once: nothing survives in a node's memory, only in PostgreSQL.
    const nodes = (await stackControl.parts()).filter((name) => /^keycloak-\d+$/.test(name)) as `keycloak-${number}`[];
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const node of nodes) await stackControl.stop(node);
    for (const node of nodes) await stackControl.start(node);
    // Past the access token's lifetime, the next request needs a refresh: it
    // works only if Keycloak kept the session through the restart (persistent
    // user sessions in PostgreSQL) and still honours the stored refresh token.
    const lifetimeMs = Number(process.env.STACK_WEB_ACCESS_TOKEN_SECONDS ?? 20) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, signedInAt + lifetimeMs + 1_000 - Date.now())));
    const refreshesBefore = await realm.admin.countEvents(user, signedInAt - 60_000, "REFRESH_TOKEN");
    for (const instance of stack.webInstanceUrls) {
      const response = await page(instance, session, "/notes");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(title);
    }
    expect(await realm.admin.countEvents(user, signedInAt - 60_000, "REFRESH_TOKEN")).toBeGreaterThan(refreshesBefore);
    const [stillThere] = await realm.admin.client.users.find({ realm: stack.realm, email: user.email, exact: true });
    expect(stillThere?.id).toBe(user.id);
  });

  it("Strapi restarted, one instance after the other: sessions keep working and notes are still there", async () => {
    const user = await disposableUser("cms-restart");
    const session = await signInToWeb(stack, user.email, user.password);
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const title = `before the Strapi restart ${Date.now()}`;
    await createNote(stack.cmsUrl, access_token, title);

    for (const instance of ["cms-1", "cms-2"] as const) {
      await stackControl.restart(instance);
      const response = await page(stack.webUrl, session, "/notes");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(title);
    }
    // A fresh token: the first one lives 20 s here, less than two restarts take on a loaded machine.
    const fresh = (await tokensFor(stack, user.email, user.password)).access_token;
    for (const url of cmsInstances) expect(await noteTitles(url, fresh)).toContain(title);
  });
});

describe("Strapi's admin API is not published", () => {
  it("the proxy and every Strapi instance answer 404 outside /api and the health check, anonymous and with a Keycloak token", async () => {
    const user = await disposableUser("closed-doors");
    const { access_token } = await tokensFor(stack, user.email, user.password);
    for (const [name, baseUrl] of [["proxy", stack.cmsUrl], ...cmsInstances.map((url, i) => [`cms-${i + 1}`, url])] as const) {
      for (const [method, path] of CLOSED_CMS_REQUESTS) {
        for (const token of [undefined, access_token]) {
          const response = await callJson(baseUrl, path, { method, token, body: method === "POST" ? ATTACKER_ADMIN : undefined });
          expect(response.status, `${name}: ${method} ${path} ${token ? "with" : "without"} a token`).toBe(404);
        }
      }
      // Nobody became an admin: the login that register-admin would have enabled does not exist either.
      const login = await callJson(baseUrl, "/admin/login", { method: "POST", body: { email: ATTACKER_ADMIN.email, password: ATTACKER_ADMIN.password } });
      expect(login.status, name).toBe(404);
      expect((await callJson(baseUrl, "/_health")).status, name).toBe(204);
      expect((await callJson(baseUrl, "/api/notes", { token: access_token })).status, name).toBe(200);
    }
  });
});
