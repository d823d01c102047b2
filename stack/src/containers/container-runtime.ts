// The containers runtime of the stack (STACK_RUNTIME=containers): Keycloak and
// the mail catcher run in containers, and the production topology's PostgreSQL
// and Redis as throw-away containers. Strapi and the web app stay native
// processes (the code under test). Everything else in the orchestration is the
// same as with native processes: ports, health URLs, realm import, dev overlay,
// database setup.
//
// Asking for containers where no engine answers is not an error: the stack says
// so once and runs native processes. testcontainers is loaded only when
// containers are asked for, so the native path neither loads nor probes anything.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StartedTestContainer } from "testcontainers";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";
import type { StackEnvInput } from "../stack-env-input.ts";
import type { Handoff } from "./supervise-container.ts";

/** The parts a supervised container runs; PostgreSQL and Redis run unsupervised (startBackingServices). */
export type ContainerPartName = "keycloak" | "mail";

/** Milliseconds between SIGTERM and SIGKILL when a container is stopped (below the supervisor's grace). */
export const STOP_TIMEOUT_MS: Record<ContainerPartName | "backing", number> = { keycloak: 15_000, mail: 3_000, backing: 10_000 };

/** Where the dev-file database of a containerised Keycloak lives on this machine (survives container restarts). */
export function keycloakContainerDataDir(config: StackConfig): string {
  return join(config.stateDir, "keycloak-container", "h2");
}

const superviseScript = fileURLToPath(new URL("./supervise-container.ts", import.meta.url));

export const NO_ENGINE_MESSAGE = "no Docker engine found; using native processes";

/** Whether a container engine answers (Docker's socket, DOCKER_HOST, testcontainers' own settings). */
async function engineAnswers(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

let announced = false;

export interface SelectOptions {
  say: (line: string) => void;
  /** STACK_RUNTIME, as stack-env-input.ts parsed it. */
  runtime: StackEnvInput["runtime"];
  /** Injected in tests. */
  probe?: () => Promise<boolean>;
}

/** The containers runtime when asked for and available; undefined means native processes. */
export async function selectContainerRuntime(options: SelectOptions): Promise<ContainerRuntime | undefined> {
  if (options.runtime === "native") return undefined;
  if (!(await (options.probe ?? engineAnswers)())) {
    if (!announced) options.say(NO_ENGINE_MESSAGE);
    announced = true;
    return undefined;
  }
  return new ContainerRuntime({ uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 });
}

export class ContainerRuntime {
  /** This process's user and group: bind-mounted state folders belong to them. */
  #uid: number;
  #gid: number;
  #backing: StartedTestContainer[] = [];

  constructor(options: { uid: number; gid: number }) {
    this.#uid = options.uid;
    this.#gid = options.gid;
  }

  /**
   * Production topology: starts PostgreSQL and Redis and points the config at
   * their published ports, before the stack creates databases and starts the
   * parts that use them.
   */
  async startBackingServices(config: StackConfig, say: (line: string) => void): Promise<void> {
    const p = config.production;
    if (!p) return;
    const { postgresContainer, redisContainer, POSTGRES_PORT, POSTGRES_SUPERUSER, REDIS_PORT } = await import("./container-parts.ts");
    const superuserPassword = randomBytes(24).toString("hex");
    say("starting PostgreSQL and Redis containers ...");
    const results = await Promise.allSettled([postgresContainer(superuserPassword).start(), redisContainer().start()]);
    for (const result of results) if (result.status === "fulfilled") this.#backing.push(result.value);
    const failed = results.find((result) => result.status === "rejected");
    if (failed) {
      await this.stop();
      throw new Error(`could not start PostgreSQL or Redis in a container: ${(failed.reason as Error).message}`);
    }
    const [postgres, redis] = this.#backing as [StartedTestContainer, StartedTestContainer];
    const postgresPort = postgres.getMappedPort(POSTGRES_PORT);
    Object.assign(p, {
      postgresAdminUrl: `postgres://${POSTGRES_SUPERUSER}:${superuserPassword}@${postgres.getHost()}:${postgresPort}/postgres`,
      postgresHost: postgres.getHost(),
      postgresPort,
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(REDIS_PORT)}`,
    });
  }

  /**
   * Builds Keycloak's image (our providers on the official image) before any
   * part starts, so the build (and the pull of its base image) is not counted
   * against the part's health timeout. Kept after the run: the next start finds
   * it, and its layers, in the engine.
   */
  async buildImages(say: (line: string) => void): Promise<void> {
    const { GenericContainer } = await import("testcontainers");
    const { keycloakImageBuild } = await import("./container-parts.ts");
    const build = keycloakImageBuild();
    say(`building ${build.image} from keycloak/Dockerfile (Keycloak with our providers) ...`);
    await GenericContainer.fromDockerfile(build.context, "Dockerfile").withBuildArgs(build.args).build(build.image, { deleteOnExit: false });
  }

  keycloak(config: StackConfig): SupervisedChild {
    // Group 0: the Keycloak image's files are group-0 writable (arbitrary-uid friendly).
    return startContainerPart(config, "keycloak", `${this.#uid}:0`);
  }

  mail(config: StackConfig): SupervisedChild {
    return startContainerPart(config, "mail", `${this.#uid}:${this.#gid}`);
  }

  /** Stops PostgreSQL and Redis (the parts are stopped by the stack like any other). */
  async stop(): Promise<void> {
    const backing = this.#backing.splice(0);
    await Promise.allSettled(backing.map((container) => container.stop({ timeout: STOP_TIMEOUT_MS.backing })));
  }
}

/**
 * Starts a containerised part as a supervised child process running
 * supervise-container.ts, so the orchestration handles it like a native part:
 * same health URL, log file, stop, restart and crash detection. The child gets
 * the stack's config through a file only this user can read (it holds the
 * realm's secrets, which belong neither on a command line nor in an environment
 * that every later child would inherit); the child deletes it once read.
 */
function startContainerPart(config: StackConfig, part: ContainerPartName, user: string): SupervisedChild {
  // A bind mount's source must exist, and be created by us rather than by the
  // engine (which would create it owned by root).
  if (part === "keycloak" && !config.production) mkdirSync(keycloakContainerDataDir(config), { recursive: true });
  if (part === "mail" && config.profile === "dev") mkdirSync(join(config.stateDir, "mail"), { recursive: true });
  const handoffDir = join(config.stateDir, "containers");
  mkdirSync(handoffDir, { recursive: true, mode: 0o700 });
  const handoffFile = join(handoffDir, `${part}.json`);
  // Without the inherited environment: the container mapping does not use it.
  const handoff: Handoff = { part, user, config: { ...config, input: { ...config.input, inherited: {} } } };
  writeFileSync(handoffFile, JSON.stringify(handoff), { mode: 0o600 });
  return new SupervisedChild({
    name: part,
    command: process.execPath,
    args: [superviseScript, handoffFile],
    cwd: config.stateDir,
    env: config.input.inherited,
    logFile: join(config.stateDir, "logs", `${part}.log`),
    // The container's own stop timeout, plus time for the engine to answer.
    stopGraceMs: STOP_TIMEOUT_MS[part] + 10_000,
  });
}
