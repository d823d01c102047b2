// Drill (production topology): one of the two Keycloak nodes is killed with
// SIGKILL, no shutdown, while a wave of people sign in and signed-in people's
// expired access tokens make the web app refresh (a refresh storm).
//  - every sign-in completes, on the surviving node; a sign-in that was in
//    flight on the killed node may need another try (counted; at most one per sign-in in all);
//  - nobody is signed out: each refresh that failed mid-flight left the session
//    as it was (the page says the sign-in service is unavailable) and the next
//    page refreshes it on the survivor; no REFRESH_TOKEN_ERROR, no LOGOUT;
//  - failover time: from the kill to the first sign-in that completes afterwards;
//  - the node comes back, HAProxy takes it into rotation again, it rejoins the
//    cluster (Infinispan's view has two members again) and sign-ins keep working.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordDrill } from "@stack/testkit/drill-record";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

const SIGNED_IN = 6;
const WAVE = 8;
const PAGES_PER_SESSION = 4;
const stack = prodStackEnv();
const realm = realmFixture(stack);
let lifetimeSeconds: number;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
});

afterAll(async () => {
  // Whatever happened, the node runs again for the files after this one.
  await stackControl.start("keycloak-1");
  await restoreLifetime();
});

async function signedInAs(session: WebSession): Promise<string | undefined> {
  const response = await session.fetch("/api/auth/session");
  return ((await response.json().catch(() => null)) as { user?: { email?: string } } | null)?.user?.email;
}

/** "ok": the notes page itself; "unavailable": the web app could not refresh and said so (session kept); anything else is a failure. */
async function notesPage(session: WebSession): Promise<"ok" | "unavailable" | string> {
  const response = await session.fetch("/notes");
  const html = await response.text();
  if (response.status === 200 && html.includes('data-testid="new-note-form"')) return "ok";
  const location = response.headers.get("location");
  if (response.status === 307 && location && new URL(location, stack.webUrl).pathname === "/sign-in-unavailable") return "unavailable";
  return `HTTP ${response.status} ${location ?? ""}`;
}

function clusterViews(logFile: string, since: number): number[] {
  // ISPN000094: Received new cluster view for channel ISPN: [node-a|3] (2) [node-a, node-b]
  const text = readFileSync(logFile, "utf8").slice(since);
  return [...text.matchAll(/ISPN000094: Received new cluster view[^\n]*?\((\d+)\)/g)].map((m) => Number(m[1]));
}

it(`kill -9 keycloak-1 during ${WAVE} sign-ins and a refresh storm of ${SIGNED_IN} sessions: all complete on keycloak-2, nobody signed out, the node rejoins`, async () => {
  const parts = await stackControl.parts();
  expect(parts).toEqual(expect.arrayContaining(["keycloak-1", "keycloak-2", "haproxy"]));
  const present: { user: DisposableUser; session: WebSession }[] = [];
  for (let i = 0; i < SIGNED_IN; i++) {
    const user = await realm.newUser(`node-loss-${i}`);
    present.push({ user, session: await signInToWeb(stack, user.email, user.password) });
  }
  const signedInAt = Date.now();
  const wave: DisposableUser[] = [];
  for (let i = 0; i < WAVE; i++) wave.push(await realm.newUser(`node-loss-wave-${i}`));
  // The storm needs expired access tokens: every page below refreshes first.
  await sleep(Math.max(0, signedInAt + lifetimeSeconds * 1000 + 1_500 - Date.now()));

  const logFile = join(stack.stateDir, "logs", "keycloak-1.log");
  const retried: string[] = [];
  let killedAt = 0;
  let firstSignInAfterKill = 0;
  const signIn = async (user: DisposableUser): Promise<WebSession> => {
    try {
      const session = await signInToWeb(stack, user.email, user.password);
      if (killedAt && !firstSignInAfterKill) firstSignInAfterKill = Date.now();
      return session;
    } catch (error) {
      // In flight on the killed node: try again after a moment, as a person would press the button again.
      retried.push(`sign-in of ${user.email}: ${(error as Error).message}`);
      for (let attempt = 1; ; attempt++) {
        await sleep(2_000);
        try {
          const session = await signInToWeb(stack, user.email, user.password);
          if (killedAt && !firstSignInAfterKill) firstSignInAfterKill = Date.now();
          return session;
        } catch (again) {
          retried.push(`sign-in of ${user.email}, try ${attempt + 1}: ${(again as Error).message}`);
          if (attempt >= 2) throw new Error(retried.join("\n"));
        }
      }
    }
  };

  const signIns = wave.map((user, i) => sleep(i * 700).then(() => signIn(user)));
  const storm = present.map(({ session }) => Promise.all(Array.from({ length: PAGES_PER_SESSION }, () => notesPage(session))));
  await sleep(1_500);
  const logSize = readFileSync(logFile, "utf8").length;
  killedAt = Date.now();
  await stackControl.kill("keycloak-1");

  const waveSessions = await Promise.all(signIns);
  const stormResults = (await Promise.all(storm)).flat();
  const failoverMs = firstSignInAfterKill - killedAt;

  // No page failed in any other way than "could not refresh right now".
  expect(stormResults.filter((r) => r !== "ok" && r !== "unavailable")).toEqual([]);
  const unavailable = stormResults.filter((r) => r === "unavailable").length;
  // Afterwards every session works on the survivor, and every wave sign-in too.
  for (const { user, session } of present) {
    expect(await notesPage(session), user.email).toBe("ok");
    expect(await signedInAs(session), user.email).toBe(user.email);
  }
  for (const [i, session] of waveSessions.entries()) {
    expect(await notesPage(session)).toBe("ok");
    expect(await signedInAs(session)).toBe(wave[i]!.email);
  }
  for (const { user } of present) {
    expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN_ERROR"), user.email).toBe(0);
    expect(await realm.admin.countEvents(user, signedInAt - 60_000, "LOGOUT"), user.email).toBe(0);
  }
  // The stated bound: retried sign-ins (each at most twice more) stay within one per sign-in of the wave.
  expect(retried.length, retried.join("\n")).toBeLessThanOrEqual(WAVE);
  expect(firstSignInAfterKill).toBeGreaterThan(0);

  // The node comes back: HAProxy marks it UP (start waits for that) and it rejoins the cluster.
  await stackControl.start("keycloak-1");
  expect(clusterViews(logFile, logSize)).toContain(2);
  const late = await realm.newUser("node-loss-after");
  const lateSession = await signInToWeb(stack, late.email, late.password);
  expect(await signedInAs(lateSession)).toBe(late.email);

  recordDrill(stack.stateDir, "keycloak-node-loss", {
    failoverMs,
    signIns: WAVE,
    retriedSignIns: retried.length,
    stormPages: stormResults.length,
    unavailablePages: unavailable,
    signOuts: 0,
  });
  console.log(
    `[drill] keycloak node loss: failover ${failoverMs} ms (kill → first completed sign-in); ` +
      `${WAVE} sign-ins, ${retried.length} retried; ${stormResults.length} storm pages, ${unavailable} "unavailable" then fine on reload; 0 sign-outs` +
      retried.map((line) => `\n[drill]   retried: ${line}`).join(""),
  );
});
