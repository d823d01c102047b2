// Runs one container as a supervised child of the stack, so that a part in a
// container looks to the orchestration exactly like a native one
// (stack/src/process/child-process.ts): a process whose output is the part's
// log, that exits when the part dies, and that SIGTERM stops (the container
// with it). If this process is killed outright, testcontainers' reaper removes
// the container once the process's connection to it closes.
//
//   STACK_CONTAINER_SPEC='<ContainerSpec as JSON>' node stack/src/containers/supervise-container.ts
import { fileURLToPath } from "node:url";
import type { StartedTestContainer } from "testcontainers";
import type { ContainerSpec } from "./container-spec.ts";
import { toGenericContainer } from "./to-generic-container.ts";

export const SPEC_VARIABLE = "STACK_CONTAINER_SPEC";
export const superviseScript = fileURLToPath(import.meta.url);

export class ContainerSpecError extends Error {
  readonly code = "ERR_CONTAINER_SPEC";
}

/** Parses what the stack handed over; a mistake here is a bug in the stack, so it names the field. */
export function parseSpec(raw: string | undefined): ContainerSpec {
  if (!raw) throw new ContainerSpecError(`${SPEC_VARIABLE} is not set`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ContainerSpecError(`${SPEC_VARIABLE} is not JSON`);
  }
  const spec = value as Partial<ContainerSpec>;
  for (const field of ["name", "image"] as const) {
    if (typeof spec[field] !== "string" || spec[field] === "") throw new ContainerSpecError(`${SPEC_VARIABLE}.${field} must be a non-empty string`);
  }
  for (const field of ["command", "ports", "bindMounts", "extraHosts"] as const) {
    if (!Array.isArray(spec[field])) throw new ContainerSpecError(`${SPEC_VARIABLE}.${field} must be an array`);
  }
  if (typeof spec.env !== "object" || spec.env === null) throw new ContainerSpecError(`${SPEC_VARIABLE}.env must be an object`);
  if (spec.wait?.kind !== "http" && spec.wait?.kind !== "healthcheck") throw new ContainerSpecError(`${SPEC_VARIABLE}.wait.kind must be http or healthcheck`);
  for (const field of ["startupTimeoutMs", "stopTimeoutMs"] as const) {
    if (typeof spec[field] !== "number" || !(spec[field] > 0)) throw new ContainerSpecError(`${SPEC_VARIABLE}.${field} must be a positive number`);
  }
  return spec as ContainerSpec;
}

async function supervise(): Promise<number> {
  let spec: ContainerSpec;
  try {
    spec = parseSpec(process.env[SPEC_VARIABLE]);
  } catch (error) {
    console.error(`[container] ${(error as Error).message}`);
    return 2;
  } finally {
    // The spec holds the part's secrets; nothing this process starts needs them.
    delete process.env[SPEC_VARIABLE];
  }

  let stopping = false;
  let started: StartedTestContainer | undefined;
  let settle: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (settle = resolve));
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (started) {
      await started.stop({ timeout: spec.stopTimeoutMs }).catch((error: Error) => console.error(`[container] stopping ${spec.name}: ${error.message}`));
      settle(0);
    }
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());

  console.log(`[container] starting ${spec.name} from ${spec.image} ...`);
  try {
    started = await toGenericContainer(spec)
      .withLogConsumer((stream) => {
        stream.pipe(process.stdout, { end: false });
        // The log stream ends when the container stops; unasked, that is a crash.
        stream.on("end", () => {
          if (!stopping) {
            console.error(`[container] ${spec.name} exited on its own`);
            settle(1);
          }
        });
      })
      .start();
  } catch (error) {
    console.error(`[container] could not start ${spec.name} (${spec.image}): ${(error as Error).message}`);
    return 1;
  }
  console.log(`[container] ${spec.name} is running (container ${started.getId().slice(0, 12)})`);
  // SIGTERM while the container was still starting: stop it now.
  if (stopping) {
    stopping = false;
    await stop();
  }
  return done;
}

if (process.argv[1] === superviseScript) {
  // Exit explicitly: the engine client keeps sockets open.
  process.exit(await supervise());
}
