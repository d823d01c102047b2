// The one orchestration: `npm start`, `npm run start:prod` and the test runner
// all call startStack. It checks prerequisites, obtains Keycloak, prepares the
// databases (production topology), starts every part, waits for each health
// endpoint with a bounded timeout, applies the dev overlay, and returns a
// handle that can stop and restart single parts (for drills) and stops every
// process it started.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { selectContainerRuntime } from "./containers/container-runtime.ts";
import { configureKeycloak } from "./keycloak/configure-keycloak.ts";
import { buildExtensions } from "./keycloak/extension-build.ts";
import { keycloakImportVariables, prepareHome, realmFile } from "./keycloak/keycloak-server.ts";
import { assertRealmSecretsSet } from "./keycloak/missing-realm-secrets.ts";
import { obtainDistribution, pinnedKeycloakVersion } from "./keycloak/obtain-distribution.ts";
import { cmsHealthUrl, cmsInstances, startCms } from "./parts/cms-server.ts";
import { mailHealthUrl, startMailCatcher } from "./parts/mail-catcher.ts";
import { ensureDatabases } from "./parts/postgres-databases.ts";
import { checkRedis } from "./parts/redis-keys.ts";
import { balancerServerStates, haproxyHealthUrl } from "./parts/haproxy.ts";
import { keycloakNodeParts } from "./parts/keycloak-nodes.ts";
import type { PartDefinition } from "./parts/part-definition.ts";
import { productionParts } from "./parts/production-parts.ts";
import { buildWebIfStale, startWeb, webHealthUrl, webInstances } from "./parts/web-server.ts";
import { groupAlive, killGroup, type SupervisedChild } from "./process/child-process.ts";
import { waitForHttp } from "./process/wait-for-http.ts";
import { checkPrerequisites, PrerequisiteError } from "./prerequisites.ts";
import { saveSecrets, type KeycloakNode, type StackConfig } from "./stack-config.ts";
import type { StackEnv } from "./stack-env.ts";

export type Say = (line: string) => void;

export interface Stack {
  config: StackConfig;
  /** The processes running now. */
  readonly children: SupervisedChild[];
  /**
   * Names of the parts that can be stopped and started: keycloak (or keycloak-1, keycloak-2),
   * mail, cms (or cms-1, cms-2), web (or web-1, web-2), and haproxy in the production topology
   * (with redis and postgres when `npm run test:prod` owns them).
   */
  partNames(): string[];
  /** Resolves with the first child that exits on its own. */
  crashed: Promise<SupervisedChild>;
  /** Stops one part (drills: "Keycloak is down"); the rest keeps running. */
  stopPart(name: string): Promise<void>;
  /** Kills one part's process group with SIGKILL, no shutdown (drills: a node lost); startPart brings it back. */
  killPart(name: string): Promise<void>;
  /** Starts a stopped part again and waits until it is healthy. */
  startPart(name: string): Promise<void>;
  stop(): Promise<void>;
  env(): StackEnv;
  /** Extra variables for tests of the production topology. */
  productionEnv(): Record<string, string>;
}

export interface StartOptions {
  say: Say;
  /** Delete the state first (tests: fresh Keycloak data, fresh SQLite or databases, empty Redis prefix). */
  fresh?: boolean;
  /** Aborting stops whatever has started and makes startStack reject. */
  signal?: AbortSignal;
}

// Readiness timeouts, ms (Keycloak's: stack/src/parts/keycloak-nodes.ts).
const TIMEOUT_MS = { mail: 30_000, cms: 180_000, web: 120_000 };

interface StateRecord {
  orchestratorPid: number;
  children: { name: string; pgid: number }[];
  startedAt: string;
}

function stateFile(config: StackConfig): string {
  return join(config.stateDir, "stack.json");
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running orchestrator of this profile, if any (for "already running" and `npm run stop`). */
export function runningOrchestrator(config: StackConfig): number | undefined {
  if (!existsSync(stateFile(config))) return undefined;
  const record = JSON.parse(readFileSync(stateFile(config), "utf8")) as StateRecord;
  return processAlive(record.orchestratorPid) && record.orchestratorPid !== process.pid ? record.orchestratorPid : undefined;
}

/** Kills process groups left behind by an orchestrator that died without cleaning up. */
export function reapLeftovers(config: StackConfig, say: Say): void {
  if (!existsSync(stateFile(config))) return;
  const record = JSON.parse(readFileSync(stateFile(config), "utf8")) as StateRecord;
  if (processAlive(record.orchestratorPid)) return;
  for (const child of record.children) {
    if (groupAlive(child.pgid)) {
      say(`stopping ${child.name} (pid ${child.pgid}) left over from an earlier run`);
      killGroup(child.pgid, "SIGKILL");
    }
  }
  rmSync(stateFile(config), { force: true });
}

/** The balancer's backend a part belongs to (keycloak-1 → keycloak, web-2 → web, ...), if any. */
function balancerBackend(name: string): string | undefined {
  return /^(keycloak|web|cms)-\d+$/.exec(name)?.[1];
}

/** Waits until HAProxy's checks have marked the part UP (or the part exits). */
async function waitUntilInRotation(config: StackConfig, name: string, child: SupervisedChild): Promise<void> {
  const key = `${balancerBackend(name)}/${name}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!child.running) throw new Error(`${name} exited before the load balancer took it into rotation (log: ${child.logFile})`);
    const state = await balancerServerStates(config).then((states) => states.get(key), () => undefined);
    if (state === "UP") return;
    if (Date.now() > deadline) throw new Error(`HAProxy has not marked ${key} UP within 60 s (last state: ${state ?? "unknown"}; log: ${join(config.stateDir, "logs", "haproxy.log")})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startStack(config: StackConfig, options: StartOptions): Promise<Stack> {
  const { say } = options;
  reapLeftovers(config, say);
  if (options.fresh) {
    rmSync(config.stateDir, { recursive: true, force: true });
    saveSecrets(config.stateDir, config.secrets);
  }
  mkdirSync(config.stateDir, { recursive: true });

  // STACK_RUNTIME=containers: Keycloak, the mail catcher, PostgreSQL and Redis
  // in containers when an engine answers; undefined means native processes.
  const containers = await selectContainerRuntime({ say, runtime: config.input.runtime });
  if (containers && config.production) {
    await containers.stop();
    throw new PrerequisiteError(
      "STACK_RUNTIME=containers does not run the production topology (two Keycloak nodes behind HAProxy) yet: " +
        "unset STACK_RUNTIME for npm run test:prod / start:prod, or use docker compose (docs/production.md).",
    );
  }
  // Production mode: no realm secret may be imported as its placeholder's text
  // (a container gets realmImportEnv only, not this process's environment).
  if (config.production) {
    const variables = keycloakImportVariables(config, containers ? {} : undefined);
    assertRealmSecretsSet(readFileSync(realmFile, "utf8"), (name) => variables[name]);
  }
  const java = await checkPrerequisites(config, containers);
  say(java ? `Java ${java.major} (${java.bin}); Keycloak ${pinnedKeycloakVersion()}` : `Keycloak ${pinnedKeycloakVersion()} and the mail catcher in containers`);
  // Before anything is started that a failed build would leave running.
  await containers?.buildImages(say);
  if (config.production) {
    const p = config.production;
    // Points the topology at the containers' published ports before anything uses it.
    await containers?.startBackingServices(config, say);
    // The suite's own PostgreSQL and Redis start with the parts (empty when fresh: their files are in the state folder).
    if (!p.ownedPostgresPort) await ensureDatabases(p, config.secrets, { fresh: options.fresh ?? false });
    if (!p.ownedRedisPort) await checkRedis(p.redisUrl, { clearPrefix: options.fresh ? p.redisKeyPrefix : undefined });
  }
  const distribution = java ? await obtainDistribution({ cacheDir: config.cacheDir, java, say, input: config.input }) : undefined;
  const extensions = distribution ? buildExtensions({ cacheDir: config.cacheDir, distribution, java: java!, say, inherited: config.input.inherited }) : [];
  // The production topology: one server folder per node; containers run one
  // Keycloak (not yet a cluster: docs/production.md).
  const nodes: (KeycloakNode | undefined)[] = config.production && !containers ? config.production.keycloakNodes : [undefined];
  // Prepared at a node's first start: the second node's starts after the first
  // is ready and copies the Quarkus build it left (rememberBuild) instead of
  // running its own (two minutes on two loaded cores).
  const homes = new Map<string, string>();
  const homeOf = (node: KeycloakNode | undefined): string => {
    const name = node?.name ?? "keycloak";
    if (!homes.has(name)) homes.set(name, distribution ? prepareHome(config, distribution, extensions, node) : "");
    return homes.get(name)!;
  };
  homeOf(nodes[0]);

  const running = new Map<string, SupervisedChild>();
  const children = (): SupervisedChild[] => [...running.values()];
  const record = (): void =>
    writeFileSync(
      stateFile(config),
      JSON.stringify(
        {
          orchestratorPid: process.pid,
          children: children().map((c) => ({ name: c.name, pgid: c.pid })),
          startedAt: new Date().toISOString(),
        } satisfies StateRecord,
        null,
        2,
      ),
    );

  const definitions = new Map<string, PartDefinition>();
  const define = (definition: PartDefinition) => definitions.set(definition.name, definition);
  define({ name: "mail", spawn: () => containers?.mail(config) ?? startMailCatcher(config), healthUrl: mailHealthUrl(config), timeoutMs: TIMEOUT_MS.mail });
  const keycloakNodes = keycloakNodeParts({ config, nodes, containers, java, homeOf, configure: () => configureKeycloak(config, say) });
  for (const part of [...productionParts(config), ...keycloakNodes]) define(part);
  const haproxy = definitions.has("haproxy");
  for (const instance of cmsInstances(config)) {
    define({
      name: instance.name,
      spawn: () => startCms(config, instance),
      healthUrl: cmsHealthUrl(instance.port),
      accept: (status) => status === 204 || status === 200,
      timeoutMs: TIMEOUT_MS.cms,
    });
  }
  for (const instance of webInstances(config)) {
    define({ name: instance.name, spawn: () => startWeb(config, instance), healthUrl: webHealthUrl(instance.port), timeoutMs: TIMEOUT_MS.web });
  }

  let stopping = false;
  const startPart = async (name: string): Promise<void> => {
    const definition = definitions.get(name);
    if (!definition) throw new TypeError(`no part named ${name}; parts: ${[...definitions.keys()].join(", ")}`);
    if (running.get(name)?.running) return;
    if (stopping) throw new Error("the stack is stopping");
    const child = definition.spawn();
    running.set(name, child);
    record();
    if (definition.ready) {
      const deadline = Date.now() + definition.timeoutMs;
      while (!(await definition.ready())) {
        if (!child.running) throw new Error(`${name} exited during startup (log: ${child.logFile})`);
        if (Date.now() > deadline) throw new Error(`${name} not ready at ${definition.healthUrl} after ${definition.timeoutMs / 1000} s (log: ${child.logFile})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } else {
      await waitForHttp({
        url: definition.healthUrl,
        accept: definition.accept,
        timeoutMs: definition.timeoutMs,
        child,
        onWaiting: (ms) => say(`  waiting for ${name} (${Math.round(ms / 1000)} s)`),
      });
    }
    // Behind the balancer, a part is back once HAProxy sends it traffic again.
    if (haproxy && balancerBackend(name) && running.get("haproxy")?.running) await waitUntilInRotation(config, name, child);
    await definition.onReady?.();
  };
  const killPart = async (name: string): Promise<void> => {
    const child = running.get(name);
    if (!child) throw new TypeError(`no running part named ${name}; parts: ${[...running.keys()].join(", ")}`);
    await child.kill();
    running.delete(name);
    record();
  };
  const stopPart = async (name: string): Promise<void> => {
    const child = running.get(name);
    if (!child) return;
    await child.stop();
    running.delete(name);
    record();
  };
  const stop = async (): Promise<void> => {
    stopping = true;
    // The web app and Strapi first (they call Keycloak), Keycloak and the balancer last.
    // PostgreSQL after Keycloak, so that no node loses its database while shutting down.
    const order = (name: string) => (name.startsWith("web") ? 0 : name.startsWith("cms") ? 1 : name === "mail" ? 2 : name === "postgres" ? 4 : 3);
    for (const rank of [0, 1, 2, 3, 4]) {
      await Promise.all(children().filter((c) => order(c.name) === rank).map((c) => c.stop()));
    }
    await containers?.stop();
    running.clear();
    rmSync(stateFile(config), { force: true });
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });

  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const launch = async (name: string, after: Promise<unknown>[] = []): Promise<void> => {
    await Promise.all(after);
    if (stopping) return;
    await startPart(name);
    say(`${name} ready (${elapsed()})`);
  };
  try {
    if (definitions.has("postgres")) await launch("postgres");
    if (definitions.has("redis")) await launch("redis");
    if (config.production) {
      const p = config.production;
      if (p.ownedPostgresPort) await ensureDatabases(p, config.secrets, { fresh: options.fresh ?? false });
      say(`PostgreSQL databases ${p.keycloakDatabase} and ${p.cmsDatabase} ready at ${p.postgresHost}:${p.postgresPort}; Redis at ${p.redisUrl} (prefix ${p.redisKeyPrefix})`);
    }
    if (haproxy) await launch("haproxy");
    say(config.production ? "starting the production topology ..." : "starting Keycloak, Strapi, the mail catcher and the web app ...");
    const webBuild = config.webMode === "prod" ? buildWebIfStale(config, say) : Promise.resolve();
    const [firstCms, ...otherCms] = cmsInstances(config);
    // The first Strapi instance creates or migrates the schema; the others
    // start after it so they never race on an empty database.
    const firstCmsReady = launch(firstCms!.name);
    // Keycloak likewise: the first node imports the realm, the others join its cluster.
    const [firstNode, ...otherNodes] = nodes.map((node) => node?.name ?? "keycloak");
    const firstNodeReady = launch(firstNode!);
    const starts = [
      launch("mail"),
      firstNodeReady,
      ...otherNodes.map((name) => launch(name, [firstNodeReady])),
      firstCmsReady,
      ...otherCms.map((instance) => launch(instance.name, [firstCmsReady])),
      ...webInstances(config).map((instance) => launch(instance.name, [webBuild])),
    ];
    try {
      await Promise.all(starts);
    } catch (error) {
      // Stop at the first failure, but let the other starts settle so none is
      // left running (or about to start a process) behind our back.
      for (const child of children().filter((c) => c.crashed)) {
        say(`${child.name} exited; last lines of ${child.logFile}:\n${child.tail(30)}`);
      }
      await stop();
      await Promise.allSettled([...starts, webBuild]);
      throw error;
    }
  } catch (error) {
    await stop();
    throw error;
  }

  let reportCrash: (child: SupervisedChild) => void = () => {};
  const crashed = new Promise<SupervisedChild>((resolve) => (reportCrash = resolve));
  const watch = (child: SupervisedChild) => void child.exited.then(() => child.crashed && reportCrash(child));
  children().forEach(watch);

  return {
    config,
    get children() {
      return children();
    },
    partNames: () => [...definitions.keys()],
    crashed,
    stopPart,
    killPart,
    startPart: async (name) => {
      await startPart(name);
      watch(running.get(name)!);
    },
    stop,
    env: () => ({
      keycloakUrl: config.keycloakUrl,
      realm: config.realm,
      issuer: config.issuer,
      adminUser: config.admin.user,
      adminPassword: config.admin.password,
      webClientId: "web",
      webClientSecret: config.secrets.webClientSecret,
      cmsClientId: "cms",
      cmsClientSecret: config.secrets.cmsClientSecret,
      publisherClientSecret: config.secrets.publisherClientSecret,
      cmsUrl: config.cmsUrl,
      webUrl: config.webUrl,
      mailUrl: config.mailUrl,
      stateDir: config.stateDir,
      bindHost: config.bindHost,
    }),
    productionEnv: (): Record<string, string> => {
      const p = config.production;
      if (!p) return {};
      return {
        STACK_WEB_INSTANCE_URLS: p.webInstancePorts.map((port) => `http://localhost:${port}`).join(","),
        STACK_CMS_INSTANCE_URLS: p.cmsInstancePorts.map((port) => `http://localhost:${port}`).join(","),
        STACK_REDIS_URL: p.redisUrl,
        STACK_REDIS_KEY_PREFIX: p.redisKeyPrefix,
        // HAProxy's statistics (CSV): drills read when the balancer marked a server down.
        STACK_BALANCER_STATS_URL: haproxyHealthUrl(config),
      };
    },
  };
}
