// STACK_RUNTIME chooses how Keycloak, the mail catcher, PostgreSQL and Redis
// run: `native` (default: processes on this machine) or `containers` (a Docker
// engine, through testcontainers). Asking for containers where no engine
// answers is not an error: the stack says so once and runs native processes.
// testcontainers is loaded only when containers are asked for, so the native
// path neither loads nor probes anything.
import { ConfigError } from "../stack-config.ts";
import type { ContainerRuntime } from "./container-runtime.ts";

export type RuntimeKind = "native" | "containers";

export const NO_ENGINE_MESSAGE = "no Docker engine found; using native processes";

export function runtimeKind(env: NodeJS.ProcessEnv): RuntimeKind {
  const value = env.STACK_RUNTIME ?? "";
  if (value === "" || value === "native") return "native";
  if (value === "containers") return "containers";
  throw new ConfigError(`Invalid stack settings:\n  - STACK_RUNTIME=${value} must be native or containers`);
}

/** Whether a container engine answers (Docker's socket, DOCKER_HOST, testcontainers' own settings). */
export async function engineAnswers(): Promise<boolean> {
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
  env?: NodeJS.ProcessEnv;
  /** Injected in tests. */
  probe?: () => Promise<boolean>;
  create?: () => Promise<ContainerRuntime>;
}

/** The containers runtime when asked for and available; undefined means native processes. */
export async function selectContainerRuntime(options: SelectOptions): Promise<ContainerRuntime | undefined> {
  if (runtimeKind(options.env ?? process.env) === "native") return undefined;
  if (!(await (options.probe ?? engineAnswers)())) {
    if (!announced) options.say(NO_ENGINE_MESSAGE);
    announced = true;
    return undefined;
  }
  return (options.create ?? createRuntime)();
}

async function createRuntime(): Promise<ContainerRuntime> {
  const { ContainerRuntime } = await import("./container-runtime.ts");
  return new ContainerRuntime({ uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 });
}
