// Measurement 10: the production topology's fault drills (test/drills/*.prod.test.ts),
// run as the production-mode suite runs them (`node stack/bootstrap.mjs test
// --prod test/drills/`: a fresh production topology, torn down after), in a
// state folder of the bench's own. Each drill records what it measured
// (@stack/testkit/drill-record); this section returns those records: the
// failover time of a killed Keycloak node (kill → first completed sign-in on
// the survivor), retried and failed requests, the balancer's window for a
// killed Strapi instance, recovery times after a PostgreSQL crash, the slow
// link's refresh storm. One run: the drills take minutes and assert their own
// bounds; a drill that fails leaves no record and makes the section fail.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@stack/runner/stack-config";
import type { StackEnvInput } from "@stack/runner/stack-env-input";
import { readDrillRecords, type DrillRecords } from "@stack/testkit/drill-record";

export interface DrillsResult {
  /** The suite's exit code: 0 when every drill passed. */
  exitCode: number;
  records: DrillRecords;
}

export interface DrillsOptions {
  workDir: string;
  input: StackEnvInput;
  say: (line: string) => void;
}

const TIMEOUT_MS = 1_800_000;

export async function measureDrills(options: DrillsOptions): Promise<DrillsResult> {
  const { workDir, input, say } = options;
  const stateDir = join(workDir, "state");
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const logFile = join(workDir, "drills.log");
  say(`  running the production-mode drills (log: ${logFile}) ...`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(repoRoot, "stack", "bootstrap.mjs"), "test", "--prod", "test/drills/"], {
    cwd: repoRoot,
    env: { ...input.inherited, STACK_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const timer = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
  const exitCode = await new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  clearTimeout(timer);
  const records = readDrillRecords(stateDir);
  if (exitCode !== 0) throw new Error(`the drills failed (exit ${exitCode}); see ${logFile}`);
  for (const [drill, { figures }] of Object.entries(records)) say(`  ${drill}: ${JSON.stringify(figures)}`);
  return { exitCode, records };
}
