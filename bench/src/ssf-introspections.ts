// Measurement 7: what per-request revocation costs Keycloak. 1, 100 and 1,000
// distinct Keycloak sessions call the API (GET /api/bench/keycloak/ping: our
// strategy with the instance's revocation check, nothing else) in turn, on a
// Strapi in `ssf` mode and one in `introspection` mode (ssf-rig.ts), and the
// token introspections Keycloak served meanwhile are counted AT KEYCLOAK:
// its stored INTROSPECT_TOKEN events of the instance's client, and the request
// counter of its introspection endpoint from its metrics. Steady state: every
// session has called before, and a whole revocation window of load has passed
// before the counted phase starts. Target: 0 introspections in ssf mode at
// every session count; introspection mode shows the cost push removes (about
// one call per session per 5-second window).
import type { BenchContext } from "./bench-context.ts";
import { countIntrospectionEvents, introspectionRequestsServed } from "./keycloak-introspection-counter.ts";
import { runRotatingLoad, type RotatingLoadResult } from "./rotating-load.ts";
import { REVOCATION_MODES, type RevocationMode } from "./ssf-rig.ts";
import { summarize, type Summary } from "./summarize.ts";

const SESSION_COUNTS = [1, 100, 1000] as const;

interface IntrospectionRateFigures {
  sessions: number;
  /** At Keycloak, from its INTROSPECT_TOKEN events, per second of the counted phase. */
  introspectionsPerSecond: Summary;
  /** At Keycloak, from its introspection endpoint's request counter (metrics); null if it exposed none. */
  introspectionRequestsPerSecond: Summary | null;
  /** Over all rounds: introspections counted (events). */
  introspectionsCounted: number;
  /** API requests per second during the counted phase, and failures over all rounds. */
  apiRequestsPerSecond: Summary;
  failures: number;
}

export interface SsfIntrospectionsResult {
  route: string;
  concurrency: number;
  warmupSeconds: number;
  countedSeconds: number;
  rounds: number;
  modes: Record<RevocationMode, IntrospectionRateFigures[]>;
}

const CONCURRENCY = 16;
// One whole revocation window (5 s) plus a margin, so steady state holds when counting starts.
const WARMUP_MS = 7_000;
const COUNTED_MS = 10_000;
const ROUTE = "/api/bench/keycloak/ping";

export async function measureSsfIntrospections(context: BenchContext): Promise<SsfIntrospectionsResult> {
  const { rig, sessions } = await context.ssf();
  const { admin, env, config, say } = context;
  await admin.storeIntrospectionEvents();
  const rounds = context.repeat;
  const modes = {} as SsfIntrospectionsResult["modes"];
  for (const mode of REVOCATION_MODES) {
    const instance = rig.instances[mode][0];
    modes[mode] = [];
    for (const count of SESSION_COUNTS) {
      const tokens = sessions.tokens.slice(0, count);
      if (tokens.length < count) throw new Error(`only ${tokens.length} sessions open, ${count} wanted`);
      const perRound: { events: number; metrics: number | undefined; seconds: number; load: RotatingLoadResult }[] = [];
      for (let round = 0; round < rounds; round++) {
        let from = 0;
        let to = 0;
        let metricsBefore: number | undefined;
        let metricsAfter: number | undefined;
        const load = await runRotatingLoad({
          url: `${instance.url}${ROUTE}`,
          tokens,
          concurrency: CONCURRENCY,
          warmupMs: WARMUP_MS,
          durationMs: COUNTED_MS,
          onMeasureStart: async () => {
            metricsBefore = await introspectionRequestsServed(config);
            from = Date.now();
          },
          onMeasureEnd: async () => {
            to = Date.now();
            metricsAfter = await introspectionRequestsServed(config);
          },
        });
        // Events are written in the introspection's own transaction; a moment for the last ones.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const events = await countIntrospectionEvents(admin, env.realm, instance.clientId, from, to);
        const metrics = metricsAfter !== undefined ? metricsAfter - (metricsBefore ?? 0) : undefined;
        const seconds = (to - from) / 1000;
        perRound.push({ events, metrics, seconds, load });
        say(
          `  ${mode}, ${count} session(s) (round ${round + 1}/${rounds}): ${events} introspections at Keycloak in ${seconds.toFixed(1)} s ` +
            `(events; metrics counter ${metrics ?? "n/a"}), API ${load.requestsPerSecond} req/s, ${load.failures} failed`,
        );
      }
      const rate = (n: number, seconds: number) => Math.round((n / seconds) * 10) / 10;
      const withMetrics = perRound.filter((r) => r.metrics !== undefined);
      modes[mode].push({
        sessions: count,
        introspectionsPerSecond: summarize(perRound.map((r) => rate(r.events, r.seconds))),
        introspectionRequestsPerSecond: withMetrics.length === perRound.length ? summarize(withMetrics.map((r) => rate(r.metrics!, r.seconds))) : null,
        introspectionsCounted: perRound.reduce((sum, r) => sum + r.events, 0),
        apiRequestsPerSecond: summarize(perRound.map((r) => r.load.requestsPerSecond)),
        failures: perRound.reduce((sum, r) => sum + r.load.failures, 0),
      });
    }
  }
  return { route: ROUTE, concurrency: CONCURRENCY, warmupSeconds: WARMUP_MS / 1000, countedSeconds: COUNTED_MS / 1000, rounds, modes };
}
