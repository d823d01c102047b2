// Drill: a sustained authenticated load through Strapi: 200 requests per
// second (four users, 50 each) for 60 s, bounded to 16 connections, after a
// 20 s warm-up at the same rate. Every request must be served.
// Memory (VmRSS of the Strapi process, /proc/<pid>/status, sampled every 5 s):
// V8 first grows its heap to fit the load (about +300 MiB within half a
// minute on the development machine, then flat), which is sizing, not a leak.
// A leak keeps growing, so the stated bound is on the second half of the run:
// from 30 s in to the end (6,000 requests) RSS may grow at most
// MAX_STEADY_GROWTH_MIB, about 22 KiB per request. V8 still enlarges its heap
// in single steps after the first half now and then (+49 MiB once, seen in
// CI, flat before and after), so the bound leaves room for one such step; a
// leak of that size per request would not.
// The rate is a precondition of the drill, not a performance target: if fewer
// than 95% of the planned requests completed, the drill did not happen as specified.
import { afterAll, beforeAll, expect, it } from "vitest";
import { runLoad, type LoadResult } from "@stack/testkit/http-load";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "@stack/testkit/realm-admin";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { partPid, residentBytes } from "./support/part-memory.ts";

const USERS = 4;
const RATE_PER_USER = 50;
const DURATION_MS = 60_000;
const WARMUP_MS = 20_000;
const SAMPLE_MS = 5_000;
const CONNECTIONS_PER_USER = 4;
const MAX_STEADY_GROWTH_MIB = 128;

let stack: StackEnv;
let admin: RealmAdmin;
const users: DisposableUser[] = [];
const tokens: string[] = [];

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  // Tokens that outlive the run: expiry is not what this drill is about.
  await admin.withWebAccessTokenLifespan(600, async () => {
    for (let i = 0; i < USERS; i++) {
      const user = await admin.createUser(`load-${i}`);
      users.push(user);
      tokens.push((await tokensFor(stack, user.email, user.password)).access_token);
    }
  });
});

afterAll(async () => {
  for (const user of users) await admin.deleteUser(user);
});

const load = (durationMs: number): Promise<LoadResult[]> =>
  Promise.all(
    tokens.map((token) =>
      runLoad({
        url: `${stack.cmsUrl}/api/notes`,
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        concurrency: CONNECTIONS_PER_USER,
        ratePerSecond: RATE_PER_USER,
        durationMs,
        accept: (status, body) => status === 200 && body.startsWith('{"data":['),
      }),
    ),
  );

it(`${USERS * RATE_PER_USER} authenticated requests/s through Strapi for ${DURATION_MS / 1000} s: none fails, memory steady (at most +${MAX_STEADY_GROWTH_MIB} MiB over the second half)`, async () => {
  const pid = partPid(stack.stateDir, "cms");
  const warmup = await load(WARMUP_MS);
  expect(warmup.reduce((sum, r) => sum + r.failures, 0)).toBe(0);
  const started = Date.now();
  const samples: { atMs: number; bytes: number }[] = [{ atMs: 0, bytes: residentBytes(pid) }];
  const sampler = setInterval(() => samples.push({ atMs: Date.now() - started, bytes: residentBytes(pid) }), SAMPLE_MS);
  let results: LoadResult[];
  try {
    results = await load(DURATION_MS);
  } finally {
    clearInterval(sampler);
  }
  samples.push({ atMs: Date.now() - started, bytes: residentBytes(pid) });

  const failures = results.flatMap((r) => r.failureSamples);
  expect(results.reduce((sum, r) => sum + r.failures, 0), `failures: ${failures.join(", ")}`).toBe(0);
  const served = results.reduce((sum, r) => sum + r.requests, 0);
  expect(served).toBeGreaterThanOrEqual(0.95 * USERS * RATE_PER_USER * (DURATION_MS / 1000));

  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  const trace = `RSS (MiB) by second: ${samples.map((s) => `${Math.round(s.atMs / 1000)}s ${mib(s.bytes)}`).join(", ")}`;
  const halfway = samples.find((s) => s.atMs >= DURATION_MS / 2)!;
  const end = samples[samples.length - 1]!;
  expect(mib(end.bytes - halfway.bytes), trace).toBeLessThanOrEqual(MAX_STEADY_GROWTH_MIB);
});
