// A process's CPU time from /proc/<pid>/stat: what the CPU-per-request figures
// of the Strapi (ssf-cpu.ts) and web (web-session-layer.ts) sections read over
// each measured phase of a load run (the load runners' onMeasureStart/End).
import { readFileSync } from "node:fs";

// sysconf(_SC_CLK_TCK): 100 on every Linux build the project runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) the process has used so far, ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here (0-based, after pid and comm).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * (1000 / CLOCK_TICKS_PER_SECOND);
}

/** Reads a process's CPU time at the start and end of a measured phase; hand `start` and `end` to the load runner. */
export function phaseCpu(pid: number) {
  let before = 0;
  let after = 0;
  return {
    start: () => void (before = cpuMs(pid)),
    end: () => void (after = cpuMs(pid)),
    /** CPU µs per request over the phase; 0 when it answered none. */
    perRequestUs: (requests: number) => (requests > 0 ? Math.round(((after - before) * 1000) / requests) : 0),
  };
}
