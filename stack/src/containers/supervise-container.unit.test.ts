// The supervisor's contract with the stack. Only paths that never reach an
// engine run here: a bad spec must fail fast and say why, whatever machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../stack-config.ts";
import { startContainerPart } from "./container-part.ts";
import type { ContainerSpec } from "./container-spec.ts";
import { mailContainer } from "./mail-container.ts";
import { ContainerSpecError, parseSpec } from "./supervise-container.ts";

const scratch = mkdtempSync(join(tmpdir(), "supervise-container-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const config = loadStackConfig("test", { STACK_STATE_DIR: join(scratch, "test") });
const spec: ContainerSpec = mailContainer(config, { user: "1000:1000" });

describe("parseSpec", () => {
  it("accepts what the definitions produce, through JSON", () => {
    expect(parseSpec(JSON.stringify(spec))).toEqual(spec);
  });

  it("names what is wrong", () => {
    expect(() => parseSpec(undefined)).toThrow(ContainerSpecError);
    expect(() => parseSpec("{")).toThrow(/not JSON/);
    expect(() => parseSpec(JSON.stringify({ ...spec, image: "" }))).toThrow(/image must be a non-empty string/);
    expect(() => parseSpec(JSON.stringify({ ...spec, ports: null }))).toThrow(/ports must be an array/);
    expect(() => parseSpec(JSON.stringify({ ...spec, wait: { kind: "log" } }))).toThrow(/wait.kind/);
    expect(() => parseSpec(JSON.stringify({ ...spec, stopTimeoutMs: 0 }))).toThrow(/stopTimeoutMs/);
  });
});

describe("startContainerPart", () => {
  it("runs the supervisor as a supervised child with the part's name and log, and a bad spec ends it at once", async () => {
    const child = startContainerPart(config, { ...spec, image: "" });
    expect(child.name).toBe("mail");
    expect(child.logFile).toBe(join(config.stateDir, "logs", "mail.log"));
    const exit = await child.exited;
    expect(exit.code).toBe(2);
    expect(child.crashed).toBe(true);
    expect(child.tail()).toContain("STACK_CONTAINER_SPEC.image must be a non-empty string");
    // Starts a Node child that loads testcontainers: seconds on a loaded two-core machine.
  }, 60_000);
});
