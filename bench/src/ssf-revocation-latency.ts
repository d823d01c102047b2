// Measurement 8: revocation latency at the API across two Strapi instances, in
// `ssf` mode and in `introspection` mode side by side (ssf-rig.ts). Per trial a
// fresh user signs in (one Keycloak session; its access token lives an hour, so
// only revocation ends it), both instances of the mode are polled every 50 ms
// with that token, and at a random moment of the 5-second revocation window an
// admin signs the user out (admin console: Sign out). Latency per instance =
// from just before the admin call to that instance's first 401; "both" = until
// the slower of the two refuses, which is when the API as a whole refuses.
// In ssf mode the push reaches the first instance (Keycloak's outbox drainer
// runs every 500 ms) and the second through the shared PostgreSQL table: the
// first's insert NOTIFYs, the second LISTENs and loads the row, as in
// production. Target: p99 ≤ 1 s in ssf mode.
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "@stack/testkit/percentile";
import type { BenchContext } from "./bench-context.ts";
import { openSessions, REVOCATION_MODES, type CmsProcess, type RevocationMode } from "./ssf-rig.ts";

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface ModeRevocationFigures {
  trials: number;
  /** Trials in which an instance still served the token when the timeout ended (excluded from the percentiles). */
  neverRefused: number;
  /** Per instance (first, second) and until both refused, ms. */
  firstInstanceMs: LatencyPercentiles | null;
  secondInstanceMs: LatencyPercentiles | null;
  bothMs: LatencyPercentiles | null;
  /** Every trial's "both" figure, ms, in the order measured. */
  samplesMs: number[];
}

export interface SsfRevocationResult {
  action: "adminSignOut";
  revocationWindowSeconds: number;
  pollIntervalMs: number;
  modes: Record<RevocationMode, ModeRevocationFigures>;
}

const TRIALS_PER_REPETITION = 10;
const WINDOW_SECONDS = 5;
const POLL_MS = 50;
const TIMEOUT_MS = 30_000;

export async function measureSsfRevocation(context: BenchContext): Promise<SsfRevocationResult> {
  const { rig } = await context.ssf();
  const trials = context.repeat * TRIALS_PER_REPETITION;
  const samples: Record<RevocationMode, { first?: number; second?: number }[]> = { ssf: [], introspection: [] };
  // The modes take turns trial by trial, so drift on a shared machine spreads evenly.
  for (let trial = 0; trial < trials; trial++) {
    for (const mode of REVOCATION_MODES) {
      const outcome = await trialOnce(context, mode, rig.instances[mode]);
      samples[mode].push(outcome);
      context.say(`    ${mode} trial ${trial + 1}/${trials}: first instance ${outcome.first ?? "never"} ms, second ${outcome.second ?? "never"} ms`);
    }
  }
  const modes = {} as SsfRevocationResult["modes"];
  for (const mode of REVOCATION_MODES) {
    const all = samples[mode];
    const both = all.filter((s) => s.first !== undefined && s.second !== undefined).map((s) => Math.max(s.first!, s.second!));
    modes[mode] = {
      trials,
      neverRefused: all.length - both.length,
      firstInstanceMs: percentiles(all.flatMap((s) => (s.first === undefined ? [] : [s.first]))),
      secondInstanceMs: percentiles(all.flatMap((s) => (s.second === undefined ? [] : [s.second]))),
      bothMs: percentiles(both),
      samplesMs: both,
    };
  }
  return { action: "adminSignOut", revocationWindowSeconds: WINDOW_SECONDS, pollIntervalMs: POLL_MS, modes };
}

function percentiles(values: number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! };
}

async function trialOnce(context: BenchContext, mode: RevocationMode, instances: [CmsProcess, CmsProcess]): Promise<{ first?: number; second?: number }> {
  const session = await openSessions(context, `bench-ssf-revoke-${mode}`, 1, 1);
  const token = session.tokens[0]!;
  const user = session.users[0]!;
  const pollers: { stop: () => Promise<void>; refusedAt: () => number | undefined }[] = [];
  try {
    const probe = async (instance: CmsProcess): Promise<number> => {
      const response = await fetch(`${instance.url}/api/bench/keycloak/ping`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
      await response.body?.cancel();
      return response.status;
    };
    for (const instance of instances) {
      const status = await probe(instance);
      if (status !== 200) throw new Error(`before revocation ${instance.name} answered HTTP ${status}`);
    }
    let since = Number.POSITIVE_INFINITY;
    for (const instance of instances) {
      let running = true;
      let refusedAt: number | undefined;
      const loop = (async () => {
        while (running && refusedAt === undefined) {
          const sentAt = Date.now();
          const status = await probe(instance).catch(() => 0);
          const answeredAt = Date.now();
          if (status === 401 && answeredAt >= since) refusedAt = answeredAt;
          else if (status !== 200 && status !== 401) throw new Error(`${instance.name} answered HTTP ${status} while polling`);
          await sleep(Math.max(0, POLL_MS - (Date.now() - sentAt)));
        }
      })();
      pollers.push({
        stop: async () => {
          running = false;
          await loop;
        },
        refusedAt: () => refusedAt,
      });
    }
    // A random moment within the window, so the figures cover its whole range.
    await sleep(Math.random() * WINDOW_SECONDS * 1000);
    since = Date.now();
    await context.admin.logoutUser(user);
    const deadline = since + TIMEOUT_MS;
    while (Date.now() < deadline && pollers.some((p) => p.refusedAt() === undefined)) await sleep(POLL_MS);
    const [first, second] = pollers.map((p) => p.refusedAt());
    return { first: first === undefined ? undefined : first - since, second: second === undefined ? undefined : second - since };
  } finally {
    for (const poller of pollers) await poller.stop();
    await session.close();
  }
}
