// The fault drills' section of bench/RESULTS.md and their rows of the targets
// table (drills.ts): what each drill measured on its last bench run.
import type { BenchResults } from "./bench-results.ts";
import { sectionLine, table } from "./markdown-format.ts";

const WHAT: Record<string, string> = {
  "keycloak-node-loss": "a Keycloak node killed (`kill -9`) during sign-ins and a refresh storm",
  "cms-instance-loss-under-load": "a Strapi instance killed under 200 authenticated req/s",
  "postgres-restart": "the suite's PostgreSQL killed during API calls and started again",
  "cms-keycloak-link-cut": "a Strapi instance's link to Keycloak cut",
  "web-keycloak-slow-link": "300 ms latency and 5 % loss between a web instance and Keycloak",
};

export function drillsTargetRows(results: BenchResults): string[][] {
  const drills = results.sections.drills;
  if (!drills) return [];
  const rows: string[][] = [];
  const loss = drills.result.records["keycloak-node-loss"]?.figures;
  rows.push([
    "Failover: Keycloak node killed → first completed sign-in on the survivor (through HAProxy)",
    "recorded",
    loss ? `${loss.failoverMs} ms; ${loss.retriedSignIns} of ${loss.signIns} sign-ins retried once, ${loss.signOuts} sign-outs` : "no record",
    loss ? "reference" : "**missing**",
  ]);
  const cms = drills.result.records["cms-instance-loss-under-load"]?.figures;
  rows.push([
    "Strapi instance killed under load: failed requests after HAProxy marks it DOWN",
    "0",
    cms ? `${cms.failedAfterMarkedDown} (of ${cms.requests}; DOWN ${cms.markedDownAfterMs} ms after the kill, ${cms.failed} failed before)` : "no record",
    cms ? (cms.failedAfterMarkedDown === 0 ? "met" : "**missed**") : "**missing**",
  ]);
  return rows;
}

export function drillsDetails(results: BenchResults): string[] {
  const drills = results.sections.drills;
  if (!drills) return [];
  const rows = Object.entries(drills.result.records).map(([drill, { figures }]) => [
    `\`${drill}\``,
    WHAT[drill] ?? "",
    Object.entries(figures)
      .map(([name, value]) => `${name} ${value}`)
      .join(", "),
  ]);
  return [
    "",
    "## 10. Fault drills (production topology)",
    "",
    sectionLine(drills),
    "",
    "`test/drills/*.prod.test.ts` run once as `npm run test:prod` runs them (a fresh production topology: two Keycloak nodes, two web and two Strapi instances behind HAProxy, the suite's own PostgreSQL and Redis), each asserting its own bounds; the figures each drill recorded (times in ms). Drills skipped on this machine (no root) have no row.",
    "",
    table(["drill", "what happens", "figures"], rows),
  ];
}
