// Closed-loop HTTP load in which consecutive requests carry different bearer
// tokens (one per Keycloak session, taken in turn), so N distinct sessions call
// the API. Plain node:http with keep-alive connections, like the test kit's
// runLoad (packages/testkit/src/http-load.ts), which sends one fixed header set.
// `onMeasureStart` runs when the warm-up ends, `onMeasureEnd` right after the
// measured phase, so a caller can read counters exactly around it.
import { Agent, request } from "node:http";
import { percentile } from "@stack/testkit/percentile";

export interface RotatingLoadOptions {
  url: string;
  /** Bearer tokens taken in turn; empty = no Authorization header. */
  tokens: readonly string[];
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
  onMeasureStart?: () => void | Promise<void>;
  onMeasureEnd?: () => void | Promise<void>;
}

export interface RotatingLoadResult {
  requests: number;
  /** Answers other than 200, or failures on the wire, in the measured phase. */
  failures: number;
  statuses: Record<string, number>;
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

export async function runRotatingLoad(options: RotatingLoadOptions): Promise<RotatingLoadResult> {
  const url = new URL(options.url);
  if (url.protocol !== "http:") throw new TypeError("runRotatingLoad speaks plain http only (local stacks)");
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  let next = 0;
  let measuring = false;
  let stopping = false;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;

  const once = (): Promise<string> =>
    new Promise((resolve) => {
      const headers: Record<string, string> = { accept: "application/json" };
      if (options.tokens.length > 0) headers.authorization = `Bearer ${options.tokens[next++ % options.tokens.length]}`;
      const req = request(url, { agent, headers, timeout: 30_000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.statusCode)));
        res.on("error", (error) => resolve(`error ${error.name}`));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.name}`));
      req.end();
    });

  const worker = async () => {
    while (!stopping) {
      const started = performance.now();
      const outcome = await once();
      if (!measuring) continue;
      latencies.push(performance.now() - started);
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      if (outcome !== "200") failures++;
    }
  };

  const workers = Array.from({ length: options.concurrency }, worker);
  try {
    await new Promise((resolve) => setTimeout(resolve, options.warmupMs ?? 0));
    await options.onMeasureStart?.();
    measuring = true;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    measuring = false;
    const durationMs = performance.now() - started;
    await options.onMeasureEnd?.();
    stopping = true;
    await Promise.all(workers);
    const sorted = latencies.sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      requests: latencies.length,
      failures,
      statuses,
      durationMs: Math.round(durationMs),
      requestsPerSecond: Math.round(latencies.length / (durationMs / 1000)),
      latencyMs: sorted.length ? { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) } : { p50: 0, p99: 0 },
    };
  } finally {
    stopping = true;
    measuring = false;
    await Promise.all(workers);
    agent.destroy();
  }
}
