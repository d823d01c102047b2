// Resident memory of one part of the running test stack, read from Linux's
// /proc/<pid>/status (VmRSS) for the pid the orchestrator records in its state
// file. Each part runs as its own process (Strapi in the process that runs
// apps/cms/bin/serve.mjs), so this is the part's whole footprint.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function partPid(stateDir: string, part: string): number {
  const record = JSON.parse(readFileSync(join(stateDir, "stack.json"), "utf8")) as { children: { name: string; pgid: number }[] };
  const child = record.children.find((c) => c.name === part);
  if (!child) throw new Error(`the stack runs no part named ${part} (parts: ${record.children.map((c) => c.name).join(", ")})`);
  return child.pgid;
}

/** Bytes; throws where /proc is not available (the drills run on Linux). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
