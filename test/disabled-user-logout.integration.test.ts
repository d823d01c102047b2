// docs/decisions/0008-revocation-within-seconds.md: disabling a user in the admin console ends the user's
// sessions. Keycloak's "Enabled" switch alone keeps them (no back-channel
// logout, and re-enabling revives them); the disabled-user-logout extension
// (keycloak/extensions/disabled-user-logout, enabled in the realm file) ends
// them on the admin event. Here the admin API does only what the console does,
// enabled = false, and nothing else.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "@stack/testkit/realm-admin";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

let stack: StackEnv;
let admin: RealmAdmin;
let webClientUuid: string;
const users: DisposableUser[] = [];

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  const [web] = await admin.client.clients.find({ realm: stack.realm, clientId: stack.webClientId });
  webClientUuid = web!.id!;
  // Stores REFRESH_TOKEN(_ERROR) events from now on, so a refresh attempt by the web app would show
  // (Keycloak does not store them by default; countEvents refuses to count what is not stored).
  await admin.storeLoginEvents();
});

afterAll(async () => {
  for (const user of users) await admin.deleteUser(user);
});

async function newUser(label: string): Promise<DisposableUser> {
  const user = await admin.createUser(label);
  users.push(user);
  return user;
}

const onlineSessions = async (user: DisposableUser) => (await admin.client.users.listSessions({ realm: stack.realm, id: user.id })).length;
const offlineSessions = async (user: DisposableUser) =>
  (await admin.client.users.listOfflineSessions({ realm: stack.realm, id: user.id, clientId: webClientUuid })).length;

/** Polls `check` every 100 ms; fails after `timeoutMs`. */
async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function expectSentToSignIn(web: WebSession): Promise<void> {
  const response = await web.fetch("/account");
  expect(response.status).toBe(307);
  expect(new URL(response.headers.get("location")!, stack.webUrl).pathname).toBe("/sign-in");
}

async function refresh(refreshToken: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: stack.webClientId, client_secret: stack.webClientSecret }),
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error };
}

it("disabling a user ends every Keycloak session (offline ones too) and the web session through back-channel logout; re-enabling revives nothing", async () => {
  const user = await newUser("disabled-logout");
  const signedInAt = Date.now();
  const web = await signInToWeb(stack, user.email, user.password);
  expect((await web.fetch("/account")).status).toBe(200);
  // A second client session with an offline token: long-lived, and what an admin would least expect to survive.
  const offline = await tokensFor(stack, user.email, user.password, { scope: "openid offline_access" });
  // The web app's session is listed as online, the offline_access login as an offline session.
  expect(await onlineSessions(user)).toBeGreaterThanOrEqual(1);
  expect(await offlineSessions(user)).toBe(1);

  await admin.disableUser(user);

  await within(5_000, async () => (await onlineSessions(user)) === 0 && (await offlineSessions(user)) === 0);
  // The web app refuses at once and without asking Keycloak: its stored session
  // was deleted by the back-channel logout, not found dead at a refresh (test
  // tokens live 20 s and are refreshed after 10 s, so none was due yet).
  await expectSentToSignIn(web);
  expect(await admin.countEvents(user, signedInAt, "REFRESH_TOKEN")).toBe(0);
  expect(await admin.countEvents(user, signedInAt, "REFRESH_TOKEN_ERROR")).toBe(0);
  expect(await (await web.fetch("/api/auth/session")).json()).toBeNull();

  await admin.enableUser(user);

  expect(await onlineSessions(user)).toBe(0);
  expect(await offlineSessions(user)).toBe(0);
  await expectSentToSignIn(web);
  expect(await refresh(offline.refresh_token)).toEqual({ status: 400, error: "invalid_grant" });
  // The person can sign in again, afresh.
  const again = await signInToWeb(stack, user.email, user.password);
  expect((await again.fetch("/account")).status).toBe(200);
});

it("an update that leaves the user enabled ends nothing", async () => {
  const user = await newUser("still-enabled");
  const web = await signInToWeb(stack, user.email, user.password);
  const current = await admin.client.users.findOne({ realm: stack.realm, id: user.id });
  await admin.client.users.update({ realm: stack.realm, id: user.id }, { ...current, firstName: "Renamed" });
  expect(await onlineSessions(user)).toBe(1);
  expect((await web.fetch("/account")).status).toBe(200);
});

it("disabling a user who has no session is harmless, and the user stays disabled", async () => {
  const user = await newUser("no-session");
  await admin.disableUser(user);
  expect((await admin.client.users.findOne({ realm: stack.realm, id: user.id }))?.enabled).toBe(false);
  expect(await onlineSessions(user)).toBe(0);
});
