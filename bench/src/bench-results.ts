// The shape of bench/results.json. Each measurement is a section with the time
// it was taken; `npm run bench -- --only <names>` re-measures some sections and
// keeps the others from the previous file.
import type { DrillsResult } from "./drills.ts";
import type { MachineInfo } from "./machine-info.ts";
import type { RefreshStormResult } from "./refresh-storm.ts";
import type { RevocationLatencyResult } from "./revocation-latency.ts";
import type { SsfCpuResult } from "./ssf-cpu.ts";
import type { SsfIntrospectionsResult } from "./ssf-introspections.ts";
import type { SsfRevocationResult } from "./ssf-revocation-latency.ts";
import type { StackStartResult } from "./stack-start.ts";
import type { StrapiThroughputResult } from "./strapi-throughput.ts";
import type { VerifyCostResult } from "./verify-cost.ts";
import type { WebLatencyResult } from "./web-latency.ts";

export interface Section<T> {
  measuredAt: string;
  repeat: number;
  /** 1-minute load average just before the section ran (other work on the machine). */
  loadAverage: number;
  result: T;
}

export interface BenchSections {
  strapiThroughput?: Section<StrapiThroughputResult>;
  verifyCost?: Section<VerifyCostResult>;
  refreshStorm?: Section<RefreshStormResult>;
  revocationLatency?: Section<RevocationLatencyResult>;
  stackStart?: Section<StackStartResult>;
  webLatency?: Section<WebLatencyResult>;
  ssfIntrospections?: Section<SsfIntrospectionsResult>;
  ssfCpu?: Section<SsfCpuResult>;
  ssfRevocation?: Section<SsfRevocationResult>;
  drills?: Section<DrillsResult>;
}

export type SectionName = keyof BenchSections;

/** Command-line names, in the order they run. */
export const SECTION_NAMES: Record<string, SectionName> = {
  start: "stackStart",
  drills: "drills",
  verify: "verifyCost",
  strapi: "strapiThroughput",
  web: "webLatency",
  storm: "refreshStorm",
  revocation: "revocationLatency",
  "ssf-introspections": "ssfIntrospections",
  "ssf-cpu": "ssfCpu",
  "ssf-revocation": "ssfRevocation",
};

/** Command-line names that stand for several sections. */
export const SECTION_GROUPS: Record<string, SectionName[]> = {
  ssf: ["ssfIntrospections", "ssfCpu", "ssfRevocation"],
};

export interface BenchResults {
  generatedAt: string;
  machine: MachineInfo;
  sections: BenchSections;
}
