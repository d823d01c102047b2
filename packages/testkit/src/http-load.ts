// A bounded HTTP load generator for the benchmark and the load drill: a fixed
// number of keep-alive connections, each sending its next request when the
// previous answer has arrived (closed loop), optionally paced to a total rate.
// Plain node:http, no dependency: `npm run bench` must work on a fresh machine.
// It runs in the same process (and on the same two cores) as nothing else of
// the stack, but it does compete with the server for CPU: compare figures
// measured side by side, not against another machine's.
import { Agent, request } from "node:http";
import { percentile } from "./percentile.ts";

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Requests in flight at once, one connection each. */
  concurrency: number;
  /** Length of the measured phase, ms. */
  durationMs: number;
  /** Load sent before measuring (connections, JIT, caches); not counted. Default 0 ms. */
  warmupMs?: number;
  /** Upper bound of the total request rate, per second; unset = as fast as answers come. */
  ratePerSecond?: number;
  /** Per request, ms. Default 30 000. */
  timeoutMs?: number;
  /** Whether an answer counts as served; default: status 2xx. */
  accept?: (status: number, body: string) => boolean;
  /** Called when the measured phase starts and ends (e.g. to read a server's CPU time). */
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
}

export interface LoadResult {
  /** Answers completed in the measured phase. */
  requests: number;
  /** Of those, not accepted (status, body) or failed on the wire. */
  failures: number;
  /** Up to five failure descriptions: status or error code, never a body. */
  failureSamples: string[];
  /** Every failure's send and answer time (epoch ms), for drills that ask when failures stopped. */
  failureTimes: { sentAt: number; doneAt: number }[];
  /** GETs sent again once after a reset on a reused keep-alive connection (not failures: the server never saw them). */
  retriedResets: number;
  statuses: Record<string, number>;
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

interface Answer {
  status: number | undefined;
  body: string;
  error: string | undefined;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new TypeError("concurrency must be a positive integer");
  if (!(options.durationMs > 0)) throw new TypeError("durationMs must be positive");
  const url = new URL(options.url);
  if (url.protocol !== "http:") throw new TypeError("runLoad speaks plain http only (local stacks)");
  const accept = options.accept ?? ((status: number) => status >= 200 && status < 300);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });

  let retriedResets = 0;
  // A keep-alive connection the server closed while idle can take a request
  // that never reached the server: Node reports ECONNRESET on a reused socket.
  // Browsers and undici retry such an idempotent request once; so do we
  // (counted apart), as Node's http documentation recommends (`req.reusedSocket`).
  const send = async (): Promise<Answer> => {
    const answer = await sendOnce();
    if (answer.error === "ECONNRESET" && answer.reusedSocket && (options.method ?? "GET") === "GET") {
      retriedResets++;
      return sendOnce();
    }
    return answer;
  };

  const sendOnce = () =>
    new Promise<Answer & { reusedSocket: boolean }>((resolve) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: options.method ?? "GET",
          headers: options.headers,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8"), error: undefined, reusedSocket: req.reusedSocket }),
          );
          res.on("error", (error: NodeJS.ErrnoException) =>
            resolve({ status: res.statusCode, body: "", error: error.code ?? error.name, reusedSocket: req.reusedSocket }),
          );
        },
      );
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (error: NodeJS.ErrnoException) =>
        resolve({ status: undefined, body: "", error: error.code ?? error.name, reusedSocket: req.reusedSocket }),
      );
      req.end(options.body);
    });

  const started = performance.now();
  const measureFrom = started + (options.warmupMs ?? 0);
  const measureUntil = measureFrom + options.durationMs;
  const intervalMs = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  let ticket = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failureSamples: string[] = [];
  const failureTimes: { sentAt: number; doneAt: number }[] = [];
  const epoch = Date.now() - performance.now();
  let failures = 0;

  const worker = async (): Promise<void> => {
    for (;;) {
      if (intervalMs > 0) {
        // Paced: request n may start at started + n * interval, whichever connection is free.
        const due = started + ticket++ * intervalMs;
        const wait = due - performance.now();
        if (due >= measureUntil) return;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const sentAt = performance.now();
      if (sentAt >= measureUntil) return;
      const answer = await send();
      const doneAt = performance.now();
      if (sentAt < measureFrom || doneAt > measureUntil) continue;
      latencies.push(doneAt - sentAt);
      const key = answer.error ?? String(answer.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (answer.error !== undefined || answer.status === undefined || !accept(answer.status, answer.body)) {
        failures++;
        failureTimes.push({ sentAt: Math.round(epoch + sentAt), doneAt: Math.round(epoch + doneAt) });
        if (failureSamples.length < 5) failureSamples.push(answer.error ?? `HTTP ${answer.status}`);
      }
    }
  };

  const phaseTimers = [
    setTimeout(() => options.onMeasureStart?.(), Math.max(0, measureFrom - performance.now())),
    setTimeout(() => options.onMeasureEnd?.(), Math.max(0, measureUntil - performance.now())),
  ];
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const endedAt = performance.now();
  // Workers that stopped early (paced load) leave the end's call to its time; it has its turn before this wait's.
  if (options.onMeasureEnd) await new Promise((resolve) => setTimeout(resolve, Math.max(0, measureUntil - performance.now())));
  for (const timer of phaseTimers) clearTimeout(timer);
  const durationMs = Math.min(endedAt, measureUntil) - measureFrom;
  const sorted = latencies.sort((a, b) => a - b);
  const p = (q: number) => (sorted.length === 0 ? Number.NaN : round(percentile(sorted, q)));
  return {
    requests: sorted.length,
    failures,
    failureSamples,
    failureTimes,
    retriedResets,
    statuses,
    durationMs: Math.round(durationMs),
    requestsPerSecond: round((sorted.length / durationMs) * 1000),
    latencyMs: { p50: p(50), p90: p(90), p99: p(99), max: sorted.length === 0 ? Number.NaN : round(sorted[sorted.length - 1]!) },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
