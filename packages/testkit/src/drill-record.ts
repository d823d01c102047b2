// The figures a fault drill measured (failover time, retried and failed
// requests, ...), kept in the production-mode stack's state folder next to its
// logs, one entry per drill, so that `npm run bench -- --only drills` can put
// them into bench/results.json after it ran the drills. The drills still print
// them too; a drill that failed before recording leaves no entry.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type DrillFigures = Record<string, number | string>;

export interface DrillRecords {
  [drill: string]: { recordedAt: string; figures: DrillFigures };
}

const DRILL_RECORDS_FILE = "drill-records.json";

export function readDrillRecords(stateDir: string): DrillRecords {
  const file = join(stateDir, DRILL_RECORDS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DrillRecords) : {};
}

/** Adds or replaces one drill's entry (the suite runs its files one after the other, so no two write at once). */
export function recordDrill(stateDir: string, drill: string, figures: DrillFigures): void {
  const records = readDrillRecords(stateDir);
  records[drill] = { recordedAt: new Date().toISOString(), figures };
  writeFileSync(join(stateDir, DRILL_RECORDS_FILE), `${JSON.stringify(records, null, 2)}\n`);
}
