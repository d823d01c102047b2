// Drill (production topology): the suite's own PostgreSQL (decision 0102) is
// killed with SIGKILL while people use the app (API calls through the cms load
// balancer, web pages) and started again (crash recovery from its write-ahead
// log). Keycloak's two nodes and both Strapi instances reconnect on their own:
// sign-ins and API calls work again, the note written before is there, web
// sessions survive and refresh, nobody exists twice, API calls meanwhile answer
// 503 with Retry-After (not 500), and a revocation after the restart still reaches BOTH cms instances (Strapi's LISTEN connection for the
// revocation table reconnected: decision 0056).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { recordDrill } from "@stack/testkit/drill-record";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

const stack = prodStackEnv();
const realm = realmFixture(stack);
/** How long Keycloak and Strapi may take to be back after PostgreSQL is (pools evict dead connections, the listener backs off up to 10 s). */
const RECOVERY_MS = 90_000;
/** Well under the cms's 15 s table poll (see apps/cms/test/ssf-revocation.prod.test.ts). */
const REVOCATION_DEADLINE_MS = 4_000;
let instances: string[];
let lifetimeSeconds: number;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  instances = (process.env.STACK_CMS_INSTANCE_URLS ?? "").split(",").filter(Boolean);
  expect(instances.length).toBeGreaterThanOrEqual(2);
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
  for (const instance of instances) await until(`${instance} on pushed revocations with LISTEN`, () => pushedAndListening(instance));
}, 300_000);

afterAll(async () => {
  await stackControl.start("postgres");
  await restoreLifetime();
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = RECOVERY_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(500);
  }
}

async function pushedAndListening(instance: string): Promise<boolean> {
  const response = await fetch(`${instance}/api/ssf/health`, { signal: AbortSignal.timeout(10_000) });
  const health = (await response.json()) as { pushed?: boolean; tableUpdates?: string };
  return response.ok && health.pushed === true && health.tableUpdates === "listen";
}

async function notes(baseUrl: string, token: string): Promise<{ status: number; titles: string[] }> {
  const response = await fetch(`${baseUrl}/api/notes`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => ({}))) as { data?: { title: string }[] };
  return { status: response.status, titles: body.data?.map((note) => note.title) ?? [] };
}

async function signedInAs(session: WebSession): Promise<string | undefined> {
  const response = await session.fetch("/api/auth/session");
  return ((await response.json().catch(() => null)) as { user?: { email?: string } } | null)?.user?.email;
}

async function notesPage(session: WebSession): Promise<string> {
  const response = await session.fetch("/notes");
  expect(response.status).toBe(200);
  return response.text();
}

async function accessToken(user: DisposableUser): Promise<string> {
  return (await tokensFor(stack, user.email, user.password)).access_token;
}

it("PostgreSQL killed and restarted during activity: Keycloak and Strapi reconnect, nothing lost, revocations reach both cms instances", async () => {
  expect(await stackControl.parts()).toContain("postgres");
  const writer = await realm.newUser("pg-restart-writer");
  const session = await signInToWeb(stack, writer.email, writer.password);
  const title = `before the PostgreSQL restart ${Date.now()}`;
  const created = await fetch(`${stack.cmsUrl}/api/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${await accessToken(writer)}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title, body: "must survive a database crash" } }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const signedInAt = Date.now();
  expect(await notesPage(session)).toContain(title);

  // Activity through the outage: API calls through the balancer with a valid token.
  const token = await accessToken(writer);
  const outcomes = new Map<string, number>();
  let active = true;
  const activity = (async () => {
    while (active) {
      const outcome = await notes(stack.cmsUrl, token).then((answer) => String(answer.status), (error: Error) => error.name);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      await sleep(100);
    }
  })();
  const killedAt = Date.now();
  const recovered: Record<string, number> = {};
  try {
    await stackControl.kill("postgres");
    await sleep(2_000);
    await stackControl.start("postgres");
    recovered.postgres = Date.now() - killedAt;
    // Keycloak answers sign-ins again (both nodes behind the balancer share the database).
    await until("a sign-in through Keycloak", async () => (await accessToken(writer)).length > 0);
    recovered.signIn = Date.now() - killedAt;
    await until("Strapi answers API calls through the balancer", async () => (await notes(stack.cmsUrl, await accessToken(writer))).status === 200);
    recovered.api = Date.now() - killedAt;
  } finally {
    active = false;
    await activity;
  }
  recordDrill(stack.stateDir, "postgres-restart", {
    postgresReadyMs: recovered.postgres ?? -1,
    firstSignInMs: recovered.signIn ?? -1,
    firstApiCallMs: recovered.api ?? -1,
    ...Object.fromEntries([...outcomes].map(([outcome, count]) => [`apiCalls ${outcome}`, count])),
  });
  console.info(
    `[drill] postgres restart: ms from the kill to PostgreSQL ready ${recovered.postgres}, first sign-in ${recovered.signIn}, first API call ${recovered.api}; ` +
      `API calls meanwhile by outcome: ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
  // While the database was away the API said so (503, retry later), never a server error or a refusal of the token.
  expect([...outcomes.keys()].filter((outcome) => outcome !== "200" && outcome !== "503")).toEqual([]);
  // Every instance is back on pushed revocations with its LISTEN connection in place.
  for (const instance of instances) await until(`${instance} LISTENs again`, () => pushedAndListening(instance));

  // Nothing lost: the note, on every instance, for a token issued after the restart.
  const fresh = await accessToken(writer);
  for (const instance of instances) expect((await notes(instance, fresh)).titles, instance).toContain(title);
  // The web session survives, and once its access token expired it refreshes against the restarted database.
  expect(await signedInAs(session)).toBe(writer.email);
  await sleep(Math.max(0, signedInAt + lifetimeSeconds * 1000 + 1_500 - Date.now()));
  expect(await notesPage(session)).toContain(title);
  expect(await signedInAs(session)).toBe(writer.email);
  expect(await realm.admin.countEvents(writer, signedInAt, "REFRESH_TOKEN")).toBeGreaterThanOrEqual(1);
  expect(await realm.admin.countEvents(writer, signedInAt - 60_000, "LOGOUT")).toBe(0);
  // Nobody twice: one Keycloak account, and a new person's first calls on both instances at once make one Strapi user.
  expect(await realm.admin.client.users.find({ realm: stack.realm, email: writer.email, exact: true })).toHaveLength(1);
  const newcomer = await realm.newUser("pg-restart-newcomer");
  const newcomerToken = await accessToken(newcomer);
  const firstSight = await Promise.all(instances.map((instance) => notes(instance, newcomerToken)));
  expect(firstSight.map((answer) => answer.status)).toEqual(instances.map(() => 200));
  const own = `the newcomer's note ${Date.now()}`;
  const write = await fetch(`${instances[0]}/api/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${newcomerToken}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title: own, body: "after the restart" } }),
  });
  expect(write.status, await write.clone().text()).toBe(201);
  expect((await notes(instances[1]!, newcomerToken)).titles).toEqual([own]);

  // A revocation after the restart reaches both instances (push to one, NOTIFY to the other).
  const revoked = await accessToken(newcomer);
  await sleep(1_100); // a user-wide revocation's cut-off is the event's second
  const start = Date.now();
  await realm.admin.logoutUser(newcomer);
  await Promise.all(
    instances.map(async (instance) => {
      for (;;) {
        const answer = await notes(instance, revoked);
        if (answer.status === 401) return;
        expect(answer.status, instance).toBe(200);
        if (Date.now() - start > REVOCATION_DEADLINE_MS) throw new Error(`${instance} still accepted the token ${REVOCATION_DEADLINE_MS} ms after the revocation`);
        await sleep(50);
      }
    }),
  );
  console.info(`[drill] postgres restart: a revocation after the restart refused on every instance within ${Date.now() - start} ms`);
}, 600_000);
