import { describe, expect, it } from "vitest";
import { cpuMs, phaseCpu } from "./process-cpu.ts";

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("process CPU time", () => {
  it("reads this process's CPU time, which grows by about what a busy loop spends", () => {
    const before = cpuMs(process.pid);
    spin(200);
    const spent = cpuMs(process.pid) - before;
    // Clock ticks of 10 ms; the loop may be descheduled now and then on a shared machine.
    expect(spent).toBeGreaterThanOrEqual(100);
    expect(spent).toBeLessThanOrEqual(400);
  });

  it("gives CPU per request over a phase, and 0 when the phase answered nothing", () => {
    const cpu = phaseCpu(process.pid);
    cpu.start();
    spin(200);
    cpu.end();
    // 100 "requests" in at least 100 ms of CPU: at least 1,000 µs each.
    expect(cpu.perRequestUs(100)).toBeGreaterThanOrEqual(1000);
    expect(cpu.perRequestUs(0)).toBe(0);
  });
});
