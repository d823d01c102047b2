// Runs one part's container as a supervised child of the stack, so that a part
// in a container looks to the orchestration exactly like a native one
// (stack/src/process/child-process.ts): a process whose output is the part's
// log, that exits when the part dies, and that SIGTERM stops (the container
// with it). If this process is killed outright, testcontainers' reaper removes
// the container once the process's connection to it closes.
//
//   node stack/src/containers/supervise-container.ts <handoff file>
// The handoff file (written by container-runtime.ts, readable by this user
// only) names the part and carries the stack's config; it is deleted once read.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StartedTestContainer } from "testcontainers";
import type { StackConfig } from "../stack-config.ts";
import { keycloakContainer, mailContainer } from "./container-parts.ts";
import { type ContainerPartName, STOP_TIMEOUT_MS } from "./container-runtime.ts";

export interface Handoff {
  part: ContainerPartName;
  /** `uid:gid` to run as where the part writes into the stack's state folder. */
  user: string;
  config: StackConfig;
}

async function supervise(file: string | undefined): Promise<number> {
  let handoff: Handoff;
  try {
    if (!file) throw new Error("usage: supervise-container.ts <handoff file>");
    handoff = JSON.parse(readFileSync(file, "utf8")) as Handoff;
  } catch (error) {
    console.error(`[container] ${(error as Error).message}`);
    return 2;
  } finally {
    // The handoff holds the realm's secrets; nothing needs it once read.
    if (file) rmSync(file, { force: true });
  }
  const { part, user, config } = handoff;
  if (part !== "keycloak" && part !== "mail") {
    console.error(`[container] unknown part ${String(part)}: keycloak or mail`);
    return 2;
  }
  const container = part === "keycloak" ? keycloakContainer(config, user) : mailContainer(config, user);

  let stopping = false;
  let started: StartedTestContainer | undefined;
  let settle: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (settle = resolve));
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (started) {
      await started.stop({ timeout: STOP_TIMEOUT_MS[part] }).catch((error: Error) => console.error(`[container] stopping ${part}: ${error.message}`));
      settle(0);
    }
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());

  console.log(`[container] starting ${part} ...`);
  try {
    started = await container
      .withLogConsumer((stream) => {
        stream.pipe(process.stdout, { end: false });
        // The log stream ends when the container stops; unasked, that is a crash.
        stream.on("end", () => {
          if (!stopping) {
            console.error(`[container] ${part} exited on its own`);
            settle(1);
          }
        });
      })
      .start();
  } catch (error) {
    console.error(`[container] could not start ${part}: ${(error as Error).message}`);
    return 1;
  }
  console.log(`[container] ${part} is running (container ${started.getId().slice(0, 12)})`);
  // SIGTERM while the container was still starting: stop it now.
  if (stopping) {
    stopping = false;
    await stop();
  }
  return done;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Exit explicitly: the engine client keeps sockets open.
  process.exit(await supervise(process.argv[2]));
}
