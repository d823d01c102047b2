// Measurement 9: what the revocation check costs Strapi, per mode. On the
// Strapi in `ssf` mode and the one in `introspection` mode (ssf-rig.ts), 100
// distinct sessions call the constant-body route with the check on
// (/api/bench/keycloak/ping) and without authentication (/api/bench/off/ping),
// interleaved in a rotated order. Two figures per run: throughput, and the
// Strapi process's CPU time per request, from /proc/<pid>/stat (utime + stime)
// read right around the measured phase. CPU per request is the robust figure on
// a shared two-core machine, where short throughput runs swing with whatever
// else runs; both are compared as ratios within a round. Target: with the
// check on in ssf mode, throughput ≥ 0.95x of auth off (for CPU: auth off's CPU
// per request ÷ ssf's ≥ 0.95). A fifth run on the ssf instance authenticates
// without the revocation check (/api/bench/keycloak-no-revocation/ping): ssf
// check on against it is what the check itself costs.
//
// Auth off gets the same requests, tokens included: only the route's
// authentication differs, so the ratio is what authenticating costs Strapi.
// Without a token the requests are 1-2 KB smaller and the load generator, on
// the same two cores, does less per request; that changes how requests batch
// in Strapi's event loop and so its CPU per request. A sixth run, auth off
// without tokens (ssfOffNoToken), shows that difference; it is a reference, not
// the target's denominator.
import type { BenchContext } from "./bench-context.ts";
import { runRotatingLoad } from "./rotating-load.ts";
import { phaseCpu } from "./process-cpu.ts";
import { REVOCATION_MODES, type RevocationMode } from "./ssf-rig.ts";
import { summarize, type Summary } from "./summarize.ts";

const CPU_VARIANTS = ["ssf", "introspection", "ssfOff", "introspectionOff", "ssfNoCheck", "ssfOffNoToken"] as const;
type CpuVariant = (typeof CPU_VARIANTS)[number];

interface CpuFigures {
  instance: string;
  route: string;
  requestsPerSecond: Summary;
  /** Strapi process CPU time per request, microseconds. */
  cpuMicrosecondsPerRequest: Summary;
  failures: number;
}

export interface SsfCpuResult {
  sessions: number;
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds of the unmeasured pass over every run before the rounds; missing in results measured before it existed. */
  warmupPassSeconds?: number;
  rounds: number;
  /** ssfNoCheck and ssfOffNoToken are missing from results measured before they existed. */
  variants: Record<Exclude<CpuVariant, "ssfNoCheck" | "ssfOffNoToken">, CpuFigures> & { ssfNoCheck?: CpuFigures; ssfOffNoToken?: CpuFigures };
  /** Whether the auth-off runs sent the same tokens as the authenticated ones; missing in results measured before they did (they sent none). */
  offSendsTokens?: boolean;
  /** Per round, then summarised: the mode's figure ÷ auth off on the same instance (throughput), and auth off's CPU per request ÷ the mode's. */
  ratios: Record<RevocationMode, { throughputVsOff: Summary; cpuOffVsMode: Summary }>;
  /** The ssf check's own cost, per round: throughput check on ÷ authenticated without the check, and CPU the other way round. */
  ssfCheck?: { throughputVsNoCheck: Summary; cpuNoCheckVsCheck: Summary };
  /** Auth off with the tokens ÷ without them, per round: throughput, and CPU the other way round. */
  offWithoutTokens?: { throughputVsOff: Summary; cpuNoTokenVsOff: Summary };
}

const SESSIONS = 100;
const CONCURRENCY = 16;
const DURATION_MS = 3_000;
const WARMUP_MS = 1_000;
const ROUNDS_PER_REPETITION = 2;
const WARMUP_PASS_MS = 2_000;

export async function measureSsfCpu(context: BenchContext): Promise<SsfCpuResult> {
  const { rig, sessions } = await context.ssf();
  const tokens = sessions.tokens.slice(0, SESSIONS);
  const target = (variant: CpuVariant) => {
    const mode: RevocationMode = variant.startsWith("ssf") ? "ssf" : "introspection";
    const instance = rig.instances[mode][0];
    const off = variant.endsWith("Off") || variant === "ssfOffNoToken";
    const route = off ? "/api/bench/off/ping" : variant === "ssfNoCheck" ? "/api/bench/keycloak-no-revocation/ping" : "/api/bench/keycloak/ping";
    return { instance, route, tokens: variant === "ssfOffNoToken" ? [] : tokens };
  };
  const runs: Record<CpuVariant, { rps: number; cpuUs: number; failures: number }[]> = { ssf: [], introspection: [], ssfOff: [], introspectionOff: [], ssfNoCheck: [], ssfOffNoToken: [] };
  // One unmeasured pass first: the first run on an instance also pays for V8 compiling its code
  // paths, and in the first round that would always be the same variant.
  for (const variant of CPU_VARIANTS) {
    const { instance, route, tokens: sent } = target(variant);
    await runRotatingLoad({ url: `${instance.url}${route}`, tokens: sent, concurrency: CONCURRENCY, durationMs: WARMUP_PASS_MS });
  }
  const rounds = context.repeat * ROUNDS_PER_REPETITION;
  for (let round = 0; round < rounds; round++) {
    const order = CPU_VARIANTS.map((_, i) => CPU_VARIANTS[(i + round) % CPU_VARIANTS.length]!);
    for (const variant of order) {
      const { instance, route, tokens: sent } = target(variant);
      const cpu = phaseCpu(instance.pid);
      const load = await runRotatingLoad({
        url: `${instance.url}${route}`,
        tokens: sent,
        concurrency: CONCURRENCY,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        onMeasureStart: cpu.start,
        onMeasureEnd: cpu.end,
      });
      const cpuUs = cpu.perRequestUs(load.requests);
      runs[variant].push({ rps: load.requestsPerSecond, cpuUs, failures: load.failures });
      context.say(`  cpu ${variant} (round ${round + 1}/${rounds}): ${load.requestsPerSecond} req/s, ${cpuUs} µs CPU per request, ${load.failures} failed`);
    }
  }
  const variants = Object.fromEntries(
    CPU_VARIANTS.map((variant) => {
      const { instance, route } = target(variant);
      return [
        variant,
        {
          instance: instance.name,
          route,
          requestsPerSecond: summarize(runs[variant].map((r) => r.rps)),
          cpuMicrosecondsPerRequest: summarize(runs[variant].map((r) => r.cpuUs)),
          failures: runs[variant].reduce((sum, r) => sum + r.failures, 0),
        },
      ];
    }),
  ) as Record<CpuVariant, CpuFigures>;
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);
  const ratios = Object.fromEntries(
    REVOCATION_MODES.map((mode) => {
      const on = runs[mode];
      const off = runs[`${mode}Off` as CpuVariant];
      return [
        mode,
        {
          throughputVsOff: summarize(on.map((r, i) => ratio(r.rps, off[i]!.rps))),
          cpuOffVsMode: summarize(on.map((r, i) => ratio(off[i]!.cpuUs, r.cpuUs))),
        },
      ];
    }),
  ) as SsfCpuResult["ratios"];
  const offWithoutTokens = {
    throughputVsOff: summarize(runs.ssfOffNoToken.map((r, i) => ratio(runs.ssfOff[i]!.rps, r.rps))),
    cpuNoTokenVsOff: summarize(runs.ssfOffNoToken.map((r, i) => ratio(r.cpuUs, runs.ssfOff[i]!.cpuUs))),
  };
  context.say(`  cpu: auth off with tokens ÷ without: ${offWithoutTokens.throughputVsOff.median}x throughput, ${offWithoutTokens.cpuNoTokenVsOff.median}x CPU (medians)`);
  const ssfCheck = {
    throughputVsNoCheck: summarize(runs.ssf.map((r, i) => ratio(r.rps, runs.ssfNoCheck[i]!.rps))),
    cpuNoCheckVsCheck: summarize(runs.ssf.map((r, i) => ratio(runs.ssfNoCheck[i]!.cpuUs, r.cpuUs))),
  };
  context.say(`  cpu: the ssf check's own cost: ${ssfCheck.throughputVsNoCheck.median}x throughput, ${ssfCheck.cpuNoCheckVsCheck.median}x CPU (check on ÷ authenticated without it, medians)`);
  context.say(
    `  cpu: ssf ÷ auth off ${ratios.ssf.throughputVsOff.median}x throughput, ${ratios.ssf.cpuOffVsMode.median}x CPU; ` +
      `introspection ÷ auth off ${ratios.introspection.throughputVsOff.median}x, ${ratios.introspection.cpuOffVsMode.median}x (medians; target ≥ 0.95x)`,
  );
  return {
    sessions: SESSIONS,
    concurrency: CONCURRENCY,
    durationSeconds: DURATION_MS / 1000,
    warmupSeconds: WARMUP_MS / 1000,
    warmupPassSeconds: WARMUP_PASS_MS / 1000,
    rounds,
    variants,
    ratios,
    ssfCheck,
    offSendsTokens: true,
    offWithoutTokens,
  };
}
