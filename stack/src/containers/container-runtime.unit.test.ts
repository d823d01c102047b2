// Choosing the runtime, and the supervisor's contract with the stack. Only
// paths that never reach an engine run here.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { SupervisedChild } from "../process/child-process.ts";
import { ConfigError, loadStackConfig } from "../stack-config.ts";
import { ContainerRuntime, NO_ENGINE_MESSAGE, selectContainerRuntime } from "./container-runtime.ts";

const scratch = mkdtempSync(join(tmpdir(), "container-runtime-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("STACK_RUNTIME", () => {
  it("is native unless containers are asked for, and refuses anything else", () => {
    const runtime = (value?: string) => loadStackConfig("test", { STACK_STATE_DIR: join(scratch, "state"), STACK_RUNTIME: value }).input.runtime;
    expect(runtime()).toBe("native");
    expect(runtime("")).toBe("native");
    expect(runtime("native")).toBe("native");
    expect(runtime("containers")).toBe("containers");
    expect(() => runtime("docker")).toThrow(ConfigError);
    expect(() => runtime("docker")).toThrow(/STACK_RUNTIME=docker must be native or containers/);
  });
});

describe("selectContainerRuntime", () => {
  it("native: neither probes for an engine nor says anything", async () => {
    const probe = vi.fn(async () => true);
    const say = vi.fn();
    expect(await selectContainerRuntime({ say, runtime: "native", probe })).toBeUndefined();
    expect(probe).not.toHaveBeenCalled();
    expect(say).not.toHaveBeenCalled();
  });

  it("containers with an engine: the containers runtime", async () => {
    const say = vi.fn();
    expect(await selectContainerRuntime({ say, runtime: "containers", probe: async () => true })).toBeInstanceOf(ContainerRuntime);
    expect(say).not.toHaveBeenCalled();
  });

  it("containers without an engine: native processes, said once per process", async () => {
    const say = vi.fn();
    const options = { say, runtime: "containers" as const, probe: async () => false };
    expect(await selectContainerRuntime(options)).toBeUndefined();
    expect(await selectContainerRuntime(options)).toBeUndefined();
    expect(say.mock.calls).toEqual([[NO_ENGINE_MESSAGE]]);
    expect(NO_ENGINE_MESSAGE).toBe("no Docker engine found; using native processes");
  });
});

describe("supervise-container.ts", () => {
  it("runs as a supervised child, and a handoff it cannot read ends it at once, saying why", async () => {
    const script = fileURLToPath(new URL("./supervise-container.ts", import.meta.url));
    const missing = join(scratch, "no-such-handoff.json");
    const child = new SupervisedChild({ name: "mail", command: process.execPath, args: [script, missing], cwd: scratch, env: process.env, logFile: join(scratch, "logs", "mail.log") });
    const exit = await child.exited;
    expect(exit.code).toBe(2);
    expect(child.crashed).toBe(true);
    expect(child.tail()).toContain("ENOENT");
    expect(existsSync(missing)).toBe(false);
    // Starts a Node child that loads testcontainers: seconds on a loaded two-core machine.
  }, 60_000);
});
