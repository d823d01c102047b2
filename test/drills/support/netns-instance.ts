// An extra cms or web instance of the running production-mode stack, started
// inside a drill's network namespace (`ip netns exec`), with the stack's
// secrets and Keycloak clients. The stack's parts listen on loopback only, so
// the instance reaches each one through a forwarder in the root namespace that
// listens on the address of the link the drill wants that traffic on (the
// "keycloak" link for Keycloak, the "app" link for the rest). The drill reaches
// the instance at its address on the "app" link.
import { cmsDir, cmsEnv, cmsHealthUrl } from "@stack/runner/parts/cms-server";
import { nextBin, webDir, webEnv, webHealthUrl } from "@stack/runner/parts/web-server";
import { SupervisedChild } from "@stack/runner/process/child-process";
import { waitForHttp } from "@stack/runner/process/wait-for-http";
import { loadStackConfig, type StackConfig } from "@stack/runner/stack-config";
import { startCuttableProxy, type CuttableProxy } from "@stack/testkit/cuttable-proxy";
import { testEnvironment } from "@stack/testkit/stack-env";
import { join } from "node:path";
import type { NetnsHost } from "./netns.ts";

export interface NetnsInstance {
  /** http://<its address on the app link>:<port> */
  url: string;
  logFile: string;
  /** The forwarder that carries its traffic to Keycloak (over the "keycloak" link): a drill can cut it or add latency. */
  keycloak: CuttableProxy;
  stop(): Promise<void>;
}

/** The running production-mode stack (STACK_STATE_DIR and the ports come from the runner's environment). */
function stackConfig(): StackConfig {
  return loadStackConfig("test-prod", testEnvironment());
}

/** Forwarder on a link's root end to a loopback port of the stack. */
function forward(host: NetnsHost, link: string, port: number): Promise<CuttableProxy> {
  return startCuttableProxy({ host: "127.0.0.1", port }, host.links[link]!.rootAddress);
}

async function start(
  host: NetnsHost,
  name: string,
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  healthUrl: string,
  forwarders: CuttableProxy[],
  keycloak: CuttableProxy,
): Promise<NetnsInstance> {
  const config = stackConfig();
  const logFile = join(config.stateDir, "logs", `${name}.log`);
  const child = new SupervisedChild({ name, command: host.exec[0]!, args: [...host.exec.slice(1), ...command], cwd, env, logFile });
  const stop = async () => {
    await child.stop();
    await Promise.all(forwarders.map((forwarder) => forwarder.close()));
  };
  try {
    await waitForHttp({ url: healthUrl, accept: (status) => status === 204 || status === 200, timeoutMs: 240_000, child });
  } catch (error) {
    await stop();
    throw new Error(`${name} did not start in namespace ${host.name}: ${(error as Error).message}\n${child.tail(30)}`);
  }
  return { url: new URL(healthUrl).origin, logFile, keycloak, stop };
}

const swapHost = (url: string, forwarder: CuttableProxy): string => {
  const target = new URL(url);
  target.host = new URL(forwarder.url).host;
  return target.toString();
};

/**
 * A Strapi instance in `host`, on the stack's PostgreSQL (app link) and Keycloak (keycloak link).
 * Revocation by introspection: an extra instance registering its own push stream would take the
 * stack's away (Keycloak keeps one per receiver client).
 */
export async function startCmsInNetns(host: NetnsHost, name: string, overrides: Record<string, string> = {}): Promise<NetnsInstance> {
  const config = stackConfig();
  const p = config.production!;
  const port = config.ports.cms;
  const address = host.links.app!.hostAddress;
  const forwarders = [await forward(host, "app", p.postgresPort), await forward(host, "keycloak", config.ports.keycloak)];
  const [database, keycloak] = forwarders as [CuttableProxy, CuttableProxy];
  const base = cmsEnv(config, port);
  const env = {
    ...config.input.inherited,
    ...base,
    HOST: address,
    DATABASE_URL: swapHost(base.DATABASE_URL!, database),
    KEYCLOAK_INTERNAL_URL: keycloak.url,
    KEYCLOAK_REVOCATION: "introspection",
    ...overrides,
  };
  return start(host, name, [process.execPath, join(cmsDir, "bin", "serve.mjs")], cmsDir, env, cmsHealthUrl(port).replace("localhost", address), forwarders, keycloak);
}

/** A web instance in `host`, on the stack's Redis and cms balancer (app link) and Keycloak (keycloak link); the production build the stack made. */
export async function startWebInNetns(host: NetnsHost, name: string): Promise<NetnsInstance> {
  const config = stackConfig();
  const p = config.production!;
  const port = config.ports.web;
  const address = host.links.app!.hostAddress;
  const redisPort = Number(new URL(p.redisUrl).port);
  const forwarders = [await forward(host, "app", redisPort), await forward(host, "app", config.ports.cms), await forward(host, "keycloak", config.ports.keycloak)];
  const [redis, cms, keycloak] = forwarders as [CuttableProxy, CuttableProxy, CuttableProxy];
  const env = {
    ...config.input.inherited,
    ...webEnv(config),
    NODE_ENV: "production",
    REDIS_URL: `redis://${new URL(redis.url).host}`,
    CMS_URL: cms.url,
    KEYCLOAK_INTERNAL_URL: keycloak.url,
  };
  return start(host, name, [process.execPath, nextBin(), "start", "-H", address, "-p", String(port)], webDir, env, webHealthUrl(port).replace("localhost", address), forwarders, keycloak);
}
