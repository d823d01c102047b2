// Drill: Keycloak is stopped for 30 s while people use the app.
//  - Ann's access token outlives the outage: her pages need no refresh and keep
//    working, her API reads too (Strapi verifies with its cached keys and lets
//    reads through while the session was confirmed recently);
//  - Ben's token expires during the outage: his protected pages need a refresh
//    and say that the sign-in service is unavailable, he stays signed in;
//  - writes work too: the revocation check is the pushed revocation set (no Keycloak call);
//  - nobody is signed out by the outage; once Keycloak is back, Ben's next
//    page refreshes his session and everything works again.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "@stack/testkit/realm-admin";
import { stackControl } from "@stack/testkit/stack-control";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

const OUTAGE_MS = 30_000;
let stack: StackEnv;
let admin: RealmAdmin;
let ann: DisposableUser;
let ben: DisposableUser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  // Turns on storage of REFRESH_TOKEN and LOGOUT events (the test realm's tokens are short already).
  await admin.shortAccessTokens(30, 10);
  ann = await admin.createUser("outage-ann");
  ben = await admin.createUser("outage-ben");
});

afterAll(async () => {
  await admin.deleteUser(ann);
  await admin.deleteUser(ben);
});

async function page(session: WebSession, path: string): Promise<{ status: number; location: string | null; html: string }> {
  const response = await session.fetch(path);
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

async function signedInAs(session: WebSession): Promise<string | undefined> {
  const response = await session.fetch("/api/auth/session");
  return ((await response.json().catch(() => null)) as { user?: { email?: string } } | null)?.user?.email;
}

async function callApi(token: string, method: "GET" | "POST"): Promise<Response> {
  return fetch(`${stack.cmsUrl}/api/notes`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: method === "POST" ? JSON.stringify({ data: { title: "Written during the outage", body: "" } }) : undefined,
  });
}

it("Keycloak down for 30 s: no refresh needed → pages work; refresh needed → a clear message; nobody signed out; all recovers", async () => {
  const lifetimeSeconds = Number(process.env.STACK_WEB_ACCESS_TOKEN_SECONDS ?? 20);
  const benSession = await signInToWeb(stack, ben.email, ben.password);
  const benSignedInAt = Date.now();

  // Ann's tokens outlive the outage.
  const { annSession, annToken } = await admin.withWebAccessTokenLifespan(600, async () => ({
    annSession: await signInToWeb(stack, ann.email, ann.password),
    annToken: (await tokensFor(stack, ann.email, ann.password)).access_token,
  }));
  expect((await callApi(annToken, "POST")).status).toBe(201);
  const before = await page(annSession, "/notes");
  expect(before.status).toBe(200);
  expect(before.html).toContain("Written during the outage");

  const outageStarted = Date.now();
  await stackControl.stop("keycloak");
  try {
    // Ben's token still works at first (a refresh attempt is deferred, not fatal).
    expect((await page(benSession, "/account")).status).toBe(200);

    // The arrangement: wait until Ben's access token has expired.
    await sleep(Math.max(0, benSignedInAt + lifetimeSeconds * 1000 + 1500 - Date.now()));

    // Ann needs no refresh: her pages and API reads work, with her notes.
    const notes = await page(annSession, "/notes");
    expect(notes.status).toBe(200);
    expect(notes.html).toContain("Written during the outage");
    expect(notes.html).not.toContain('data-testid="error"');
    expect((await page(annSession, "/account")).status).toBe(200);
    expect((await callApi(annToken, "GET")).status).toBe(200);

    // A write works too: with a healthy Shared Signals stream the revocation check
    // is the pushed revocation set, a memory lookup that needs no call to Keycloak
    // (and while Keycloak is down, nothing can be revoked there). Never a 401.
    const write = await callApi(annToken, "POST");
    expect(write.status).toBe(201);

    // Ben needs a refresh: a clear message instead of his page, and he is still signed in.
    const benNotes = await page(benSession, "/notes");
    expect(benNotes.status).toBe(307);
    const location = new URL(benNotes.location!, stack.webUrl);
    expect(location.pathname).toBe("/sign-in-unavailable");
    expect(location.searchParams.get("returnTo")).toBe("/notes");
    const message = await page(benSession, `${location.pathname}${location.search}`);
    expect(message.status).toBe(200);
    expect(message.html).toContain('data-testid="sign-in-unavailable"');
    expect(message.html).toContain("sign-in service cannot be reached");
    expect(message.html).toContain('data-testid="signed-in-as"');
    expect(await signedInAs(benSession)).toBe(ben.email);
    expect(await signedInAs(annSession)).toBe(ann.email);

    await sleep(Math.max(0, outageStarted + OUTAGE_MS - Date.now()));
  } finally {
    await stackControl.start("keycloak");
  }

  // Recovery: Ben's next page refreshes his session; nobody was signed out.
  const benAfter = await page(benSession, "/notes");
  expect(benAfter.status).toBe(200);
  expect(benAfter.html).toContain('data-testid="new-note-form"');
  expect((await page(annSession, "/notes")).status).toBe(200);
  expect((await callApi(annToken, "POST")).status).toBe(201);
  expect(await signedInAs(benSession)).toBe(ben.email);
  expect(await signedInAs(annSession)).toBe(ann.email);
  expect(await admin.countEvents(ben, benSignedInAt, "REFRESH_TOKEN")).toBeGreaterThanOrEqual(1);
  expect(await admin.countEvents(ben, benSignedInAt, "REFRESH_TOKEN_ERROR")).toBe(0);
  for (const user of [ann, ben]) expect(await admin.countEvents(user, benSignedInAt, "LOGOUT")).toBe(0);
});
