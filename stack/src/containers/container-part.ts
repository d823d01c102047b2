// Starts a containerised part (Keycloak, the mail catcher) as a supervised
// child process running stack/src/containers/supervise-container.ts, so the
// orchestration handles it like a native part: same health URL, log file,
// stop, restart and crash detection.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";
import type { ContainerSpec } from "./container-spec.ts";
import { SPEC_VARIABLE, superviseScript } from "./supervise-container.ts";

export function startContainerPart(config: StackConfig, spec: ContainerSpec): SupervisedChild {
  // A bind mount's source must exist, and be created by us rather than by the
  // engine (which would create it owned by root).
  for (const mount of spec.bindMounts) if (mount.mode === "rw") mkdirSync(mount.source, { recursive: true });
  return new SupervisedChild({
    name: spec.name,
    command: process.execPath,
    args: [superviseScript],
    cwd: config.stateDir,
    // Through the environment, not the command line: the spec carries secrets.
    env: { ...process.env, [SPEC_VARIABLE]: JSON.stringify(spec) },
    logFile: join(config.stateDir, "logs", `${spec.name}.log`),
    // The container's own stop timeout, plus time for the engine to answer.
    stopGraceMs: spec.stopTimeoutMs + 10_000,
  });
}
