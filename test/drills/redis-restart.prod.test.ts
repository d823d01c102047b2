// Drill (production topology): the suite's own Redis (append-only file, fsync
// on every write) is killed with SIGKILL and started again while people are
// signed in. The web app keeps its sessions in Redis: every session survives,
// its pages work, and a session whose access token expired meanwhile refreshes
// once the store is back; nobody is signed out.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

const stack = prodStackEnv();
const realm = realmFixture(stack);
let lifetimeSeconds: number;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
});

afterAll(async () => {
  await stackControl.start("redis");
  await restoreLifetime();
});

async function signedInAs(session: WebSession): Promise<string | undefined> {
  const response = await session.fetch("/api/auth/session");
  return ((await response.json().catch(() => null)) as { user?: { email?: string } } | null)?.user?.email;
}

async function notesPageWorks(session: WebSession): Promise<boolean> {
  const response = await session.fetch("/notes");
  return response.status === 200 && (await response.text()).includes('data-testid="new-note-form"');
}

it("Redis killed and restarted: every web session survives and refreshes afterwards; nobody signed out", async () => {
  expect(await stackControl.parts()).toContain("redis");
  const people: { user: DisposableUser; session: WebSession }[] = [];
  for (let i = 0; i < 3; i++) {
    const user = await realm.newUser(`redis-restart-${i}`);
    people.push({ user, session: await signInToWeb(stack, user.email, user.password) });
  }
  const signedInAt = Date.now();
  for (const { session } of people) expect(await notesPageWorks(session)).toBe(true);

  await stackControl.kill("redis");
  await stackControl.start("redis");

  for (const { user, session } of people) {
    expect(await signedInAs(session), user.email).toBe(user.email);
    expect(await notesPageWorks(session), user.email).toBe(true);
  }
  // Past the access token's lifetime: the refresh reads and writes the restarted store.
  await sleep(Math.max(0, signedInAt + lifetimeSeconds * 1000 + 1_500 - Date.now()));
  for (const { user, session } of people) {
    expect(await notesPageWorks(session), user.email).toBe(true);
    expect(await signedInAs(session), user.email).toBe(user.email);
    expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN"), user.email).toBeGreaterThanOrEqual(1);
    expect(await realm.admin.countEvents(user, signedInAt - 60_000, "LOGOUT"), user.email).toBe(0);
  }
});
