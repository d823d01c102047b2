// A server's state as HAProxy sees it (UP, DOWN, MAINT, ...), read from its
// statistics page (CSV), whose address the production-mode runner passes in
// STACK_BALANCER_STATS_URL.
import { testEnvironment } from "@stack/testkit/stack-env";

async function balancerState(backend: string, server: string, env: Readonly<Record<string, string | undefined>> = testEnvironment()): Promise<string | undefined> {
  const url = env.STACK_BALANCER_STATS_URL;
  if (!url) throw new Error("No load balancer statistics (missing STACK_BALANCER_STATS_URL). Run `npm run test:prod`, which provides them.");
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`HAProxy statistics: HTTP ${response.status}`);
  const [header, ...rows] = (await response.text()).trim().split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  const row = rows.map((line) => line.split(",")).find((cells) => cells[columns.indexOf("pxname")] === backend && cells[columns.indexOf("svname")] === server);
  return row?.[columns.indexOf("status")]?.split(" ")[0];
}

/** Polls every 50 ms until the server is in `state`; resolves with the time (epoch ms) it was first seen so. */
export async function whenBalancerSees(backend: string, server: string, state: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await balancerState(backend, server)) === state) return Date.now();
    if (Date.now() > deadline) throw new Error(`HAProxy did not mark ${backend}/${server} ${state} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
