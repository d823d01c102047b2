// Part of measurement 6: what the session layer costs a page view. The same
// render (the account page's content, apps/web/src/components/account-details.tsx)
// through the BFF's session lookup and with none, side by side in one run, on
// the web app's bench-only pages (WEB_BENCH_ROUTES, apps/web/src/app/bench/):
//   /bench/account/with-session     with the session cookie: the proxy opens
//                                   the cookie, reads the token store, hands
//                                   the session to the render; requireUser
//   /bench/account/without-session  no cookie, a fixed user: no lookup at all
// Both leave out the account page's sign-in methods, which call Keycloak.
// The two take turns within every round, in alternating order, and the
// throughput ratio (with ÷ without) is taken per round. Then it counts the
// token store's reads per page view (the web app's bench-only counter,
// /api/bench/token-store-reads) over sequential views of each page.
// Besides throughput it reads the web server's CPU time (utime + stime from
// /proc/<pid>/stat) over each measured phase: CPU per request is the robust
// figure on a shared two-core machine, where the load generator and the
// server compete for the same cores and a run's throughput swings.
import { runLoad, type LoadResult } from "@stack/testkit/http-load";
import type { StackEnv } from "@stack/testkit/stack-env";
import { pairedRatios } from "./paired-ratios.ts";
import { phaseCpu } from "./process-cpu.ts";
import { summarize, type Summary } from "./summarize.ts";

const VARIANTS = { withSession: "/bench/account/with-session", withoutSession: "/bench/account/without-session" } as const;
type Variant = keyof typeof VARIANTS;
const FIXED_EMAIL = "bench-fixed@example.invalid";

const CONCURRENCY = 8;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const ROUNDS_PER_REPETITION = 2;
/** Sequential page views per page and round for the read count. */
const COUNTED_VIEWS = 20;

interface VariantFigures {
  requestsPerSecond: Summary;
  /** The web server's CPU time per request (µs); absent when the bench had no pid for it. */
  cpuMicrosecondsPerRequest?: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  failures: number;
}

export interface SessionLayerResult {
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  variants: Record<Variant, VariantFigures>;
  /** Throughput with the session lookup ÷ without, per round. */
  throughputRatio: Summary;
  /** p50 latency without ÷ with, per round (below 1 means the lookup adds latency). */
  p50LatencyRatio: Summary;
  /** The web server's CPU per request without ÷ with, per round (below 1 means the lookup costs CPU). */
  cpuRatio?: Summary;
  /** Token-store reads per page view, per path, one figure per round of COUNTED_VIEWS sequential views. */
  storeReadsPerView: { viewsPerRound: number; pages: Record<string, Summary> };
}

interface SignedIn {
  /** The session cookie's Cookie header. */
  cookie: string;
  /** Text only the signed-in user's pages show (their email). */
  marker: string;
  /** Pages that must also answer with one read per view, and what their body shows. */
  otherPages: Record<string, string>;
}

export async function measureSessionLayer(env: StackEnv, session: SignedIn, repeat: number, say: (line: string) => void, webPid?: number): Promise<SessionLayerResult> {
  const readsUrl = `${env.webUrl}/api/bench/token-store-reads`;
  const probe = await fetch(readsUrl);
  await probe.body?.cancel();
  if (probe.status === 404) throw new Error("the web app has no bench routes: the bench stack must start it with WEB_BENCH_ROUTES=true.");

  const headers = (variant: Variant): Record<string, string> => (variant === "withSession" ? { cookie: session.cookie, accept: "text/html" } : { accept: "text/html" });
  const marker = (variant: Variant) => (variant === "withSession" ? session.marker : FIXED_EMAIL);
  const runs: Record<Variant, (LoadResult & { cpuUs?: number })[]> = { withSession: [], withoutSession: [] };
  const pages: Record<string, string> = { ...session.otherPages, [VARIANTS.withSession]: session.marker, [VARIANTS.withoutSession]: FIXED_EMAIL };
  const reads: Record<string, number[]> = Object.fromEntries(Object.keys(pages).map((path) => [path, []]));
  const rounds = repeat * ROUNDS_PER_REPETITION;
  for (let round = 0; round < rounds; round++) {
    const order: Variant[] = round % 2 === 0 ? ["withSession", "withoutSession"] : ["withoutSession", "withSession"];
    for (const variant of order) {
      const cpu = webPid === undefined ? undefined : phaseCpu(webPid);
      const load = await runLoad({
        url: `${env.webUrl}${VARIANTS[variant]}`,
        headers: headers(variant),
        concurrency: CONCURRENCY,
        durationMs: DURATION_MS,
        warmupMs: WARMUP_MS,
        accept: (status, body) => status === 200 && body.includes(marker(variant)),
        onMeasureStart: cpu?.start,
        onMeasureEnd: cpu?.end,
      });
      const cpuUs = cpu?.perRequestUs(load.requests);
      const result = { ...load, cpuUs };
      runs[variant].push(result);
      say(
        `  web ${VARIANTS[variant]} (round ${round + 1}/${rounds}): ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
          `${cpuUs === undefined ? "" : `${cpuUs} µs CPU per request, `}${result.failures} failed`,
      );
    }
    // One read count per repetition is enough: it is a count, not a timing.
    if (round % ROUNDS_PER_REPETITION === 0) {
      for (const [path, shows] of Object.entries(pages)) {
        const cookie = path === VARIANTS.withoutSession ? undefined : session.cookie;
        reads[path]!.push(await readsPerView(env.webUrl, readsUrl, path, cookie, shows));
      }
    }
  }
  const cpuOf = (variant: Variant) => runs[variant].map((r) => r.cpuUs).filter((us): us is number => us !== undefined);
  const withCpu = webPid !== undefined;
  const figures = (variant: Variant): VariantFigures => ({
    requestsPerSecond: summarize(runs[variant].map((r) => r.requestsPerSecond)),
    ...(withCpu ? { cpuMicrosecondsPerRequest: summarize(cpuOf(variant)) } : {}),
    p50Ms: summarize(runs[variant].map((r) => r.latencyMs.p50)),
    p99Ms: summarize(runs[variant].map((r) => r.latencyMs.p99)),
    failures: runs[variant].reduce((sum, r) => sum + r.failures, 0),
  });
  const throughputRatio = pairedRatios(
    runs.withSession.map((r) => r.requestsPerSecond),
    runs.withoutSession.map((r) => r.requestsPerSecond),
  );
  const p50LatencyRatio = pairedRatios(
    runs.withoutSession.map((r) => r.latencyMs.p50),
    runs.withSession.map((r) => r.latencyMs.p50),
  );
  const cpuRatio = withCpu ? pairedRatios(cpuOf("withoutSession"), cpuOf("withSession")) : undefined;
  const storeReads = Object.fromEntries(Object.entries(reads).map(([path, values]) => [path, summarize(values)]));
  say(
    `  session layer: throughput with ÷ without ${throughputRatio.median.toFixed(2)}x (target >= 0.90x, median)` +
      `${cpuRatio ? `; CPU per request without ÷ with ${cpuRatio.median.toFixed(2)}x` : ""}`,
  );
  say(`  token-store reads per view ${Object.entries(storeReads).map(([path, s]) => `${path} ${s.median}`).join(", ")}`);
  return {
    concurrency: CONCURRENCY,
    durationSeconds: DURATION_MS / 1000,
    warmupSeconds: WARMUP_MS / 1000,
    rounds,
    variants: { withSession: figures("withSession"), withoutSession: figures("withoutSession") },
    throughputRatio,
    p50LatencyRatio,
    ...(cpuRatio ? { cpuRatio } : {}),
    storeReadsPerView: { viewsPerRound: COUNTED_VIEWS, pages: storeReads },
  };
}

/** Sequential views of one page between two reads of the counter; nothing else uses the web app meanwhile. */
async function readsPerView(webUrl: string, readsUrl: string, path: string, cookie: string | undefined, shows: string): Promise<number> {
  const counter = async () => ((await (await fetch(readsUrl, { headers: { accept: "application/json" } })).json()) as { reads: number }).reads;
  const before = await counter();
  for (let i = 0; i < COUNTED_VIEWS; i++) {
    const response = await fetch(`${webUrl}${path}`, { headers: { accept: "text/html", ...(cookie ? { cookie } : {}) }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200 || !body.includes(shows)) throw new Error(`${path} answered HTTP ${response.status} without the expected page while counting token-store reads`);
  }
  return ((await counter()) - before) / COUNTED_VIEWS;
}
