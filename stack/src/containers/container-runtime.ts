// The containers runtime of the stack (STACK_RUNTIME=containers): Keycloak and
// the mail catcher run as containerised parts, and the production topology's
// PostgreSQL and Redis as throw-away containers. Strapi and the web app stay
// native processes (the code under test). Everything else in the orchestration
// is the same as with native processes: ports, health URLs, realm import, dev
// overlay, database setup.
import { randomBytes } from "node:crypto";
import type { StartedTestContainer } from "testcontainers";
import type { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";
import { startContainerPart } from "./container-part.ts";
import { keycloakContainer } from "./keycloak-container.ts";
import { mailContainer } from "./mail-container.ts";
import { POSTGRES_PORT, POSTGRES_SUPERUSER, postgresContainer } from "./postgres-container.ts";
import { REDIS_PORT, redisContainer } from "./redis-container.ts";
import { toGenericContainer } from "./to-generic-container.ts";
import { toImageBuilder } from "./to-image-builder.ts";

export interface ContainerRuntimeOptions {
  /** This process's user and group: bind-mounted state folders belong to them. */
  uid: number;
  gid: number;
}

export class ContainerRuntime {
  #options: ContainerRuntimeOptions;
  #backing: StartedTestContainer[] = [];

  constructor(options: ContainerRuntimeOptions) {
    this.#options = options;
  }

  /**
   * Production topology: starts PostgreSQL and Redis and points the config at
   * their published ports, before the stack creates databases and starts the
   * parts that use them.
   */
  async startBackingServices(config: StackConfig, say: (line: string) => void): Promise<void> {
    const p = config.production;
    if (!p) return;
    const superuserPassword = randomBytes(24).toString("hex");
    say("starting PostgreSQL and Redis containers ...");
    const results = await Promise.allSettled([
      toGenericContainer(postgresContainer({ superuserPassword })).start(),
      toGenericContainer(redisContainer()).start(),
    ]);
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
   * Builds the images that come from a Dockerfile of the repository (Keycloak
   * with our providers) before any part starts, so the build (and the pull of
   * its base images) is not counted against a part's health timeout.
   */
  async buildImages(config: StackConfig, say: (line: string) => void): Promise<void> {
    const spec = keycloakContainer(config, { user: `${this.#options.uid}:0` });
    if (!spec.build) return;
    say(`building ${spec.image} from keycloak/Dockerfile (Keycloak with our providers) ...`);
    // Kept after the run: the next start finds it (and its layers) in the engine.
    await toImageBuilder(spec.build).build(spec.image, { deleteOnExit: false });
  }

  keycloak(config: StackConfig): SupervisedChild {
    // Group 0: the Keycloak image's files are group-0 writable (arbitrary-uid friendly).
    return startContainerPart(config, keycloakContainer(config, { user: `${this.#options.uid}:0` }));
  }

  mail(config: StackConfig): SupervisedChild {
    return startContainerPart(config, mailContainer(config, { user: `${this.#options.uid}:${this.#options.gid}` }));
  }

  /** Stops PostgreSQL and Redis (the parts are stopped by the stack like any other). */
  async stop(): Promise<void> {
    const backing = this.#backing.splice(0);
    await Promise.allSettled(backing.map((container) => container.stop({ timeout: 10_000 })));
  }
}
