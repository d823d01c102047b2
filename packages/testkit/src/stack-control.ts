// Stops and starts parts of the running test stack from a test (drills). The
// test runner serves this on STACK_CONTROL_URL; see stack/src/stack-control-server.ts.
import { testEnvironment } from "./stack-env.ts";

export type PartName = "keycloak" | "mail" | "cms" | "web" | "haproxy" | "redis" | "postgres" | `keycloak-${number}` | `cms-${number}` | `web-${number}`;

function controlUrl(env: Readonly<Record<string, string | undefined>> = testEnvironment()): string {
  const url = env.STACK_CONTROL_URL;
  if (!url) throw new Error("No stack control (missing STACK_CONTROL_URL). Run the suite with `npm test`, which provides it.");
  return url;
}

async function post(name: PartName, action: "stop" | "start" | "restart" | "kill"): Promise<void> {
  // Starting Keycloak can take a minute or two on two cores.
  const response = await fetch(`${controlUrl()}/parts/${name}/${action}`, { method: "POST", signal: AbortSignal.timeout(300_000) });
  if (response.status !== 204) throw new Error(`${action} ${name}: HTTP ${response.status} ${await response.text()}`);
}

export const stackControl = {
  stop: (name: PartName) => post(name, "stop"),
  /** Resolves once the part answers its health check again. */
  start: (name: PartName) => post(name, "start"),
  restart: (name: PartName) => post(name, "restart"),
  /** SIGKILL to the part's process group, no shutdown (a lost node); `start` brings it back. */
  kill: (name: PartName) => post(name, "kill"),
  async parts(): Promise<string[]> {
    const response = await fetch(`${controlUrl()}/parts`);
    return ((await response.json()) as { parts: string[] }).parts;
  },
};
