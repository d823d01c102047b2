import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../stack-config.ts";
import type { ContainerRuntime } from "./container-runtime.ts";
import { NO_ENGINE_MESSAGE, runtimeKind, selectContainerRuntime } from "./select-container-runtime.ts";

const fakeRuntime = {} as ContainerRuntime;

describe("STACK_RUNTIME", () => {
  it("is native unless containers are asked for, and refuses anything else", () => {
    expect(runtimeKind({})).toBe("native");
    expect(runtimeKind({ STACK_RUNTIME: "" })).toBe("native");
    expect(runtimeKind({ STACK_RUNTIME: "native" })).toBe("native");
    expect(runtimeKind({ STACK_RUNTIME: "containers" })).toBe("containers");
    expect(() => runtimeKind({ STACK_RUNTIME: "docker" })).toThrow(ConfigError);
    expect(() => runtimeKind({ STACK_RUNTIME: "docker" })).toThrow(/STACK_RUNTIME=docker must be native or containers/);
  });
});

describe("selectContainerRuntime", () => {
  it("native: neither probes for an engine nor says anything", async () => {
    const probe = vi.fn(async () => true);
    const say = vi.fn();
    expect(await selectContainerRuntime({ say, env: {}, probe })).toBeUndefined();
    expect(await selectContainerRuntime({ say, env: { STACK_RUNTIME: "native" }, probe })).toBeUndefined();
    expect(probe).not.toHaveBeenCalled();
    expect(say).not.toHaveBeenCalled();
  });

  it("containers with an engine: the containers runtime", async () => {
    const say = vi.fn();
    const runtime = await selectContainerRuntime({ say, env: { STACK_RUNTIME: "containers" }, probe: async () => true, create: async () => fakeRuntime });
    expect(runtime).toBe(fakeRuntime);
    expect(say).not.toHaveBeenCalled();
  });

  it("containers without an engine: native processes, said once per process", async () => {
    const say = vi.fn();
    const create = vi.fn(async () => fakeRuntime);
    const options = { say, env: { STACK_RUNTIME: "containers" }, probe: async () => false, create };
    expect(await selectContainerRuntime(options)).toBeUndefined();
    expect(await selectContainerRuntime(options)).toBeUndefined();
    expect(say.mock.calls).toEqual([[NO_ENGINE_MESSAGE]]);
    expect(NO_ENGINE_MESSAGE).toBe("no Docker engine found; using native processes");
    expect(create).not.toHaveBeenCalled();
  });
});
