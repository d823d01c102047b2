import { describe, expect, it } from "vitest";
import type { BenchResults } from "./bench-results.ts";
import { resultsMarkdown, round, targetsTable, verdict } from "./results-markdown.ts";
import { summarize } from "./summarize.ts";

const machine: BenchResults["machine"] = {
  cpuModel: "Test CPU",
  cores: 2,
  ramGiB: 24,
  os: "Debian",
  node: "24.21.0",
  java: "openjdk 25",
  keycloak: "26.7.3",
  strapi: "5.54.0",
  next: "16.4.6",
  nextAuth: "5.0.0-beta.32",
  loadAverageAtStart: 0.5,
};
const section = <T>(result: T) => ({ measuredAt: "2026-11-23T00:00:00.000Z", repeat: 3, loadAverage: 1, result });

describe("verdict", () => {
  it("says whether every run, only the median, or not even the median meets a target", () => {
    expect(verdict(summarize([0.95, 0.97, 0.99]), (v) => v >= 0.9)).toBe("met (every run)");
    expect(verdict(summarize([0.8, 0.92, 0.95]), (v) => v >= 0.9)).toBe("median only");
    expect(verdict(summarize([0.8, 0.85, 0.95]), (v) => v >= 0.9)).toBe("**missed**");
    expect(verdict(null, () => true)).toBe("not measured");
  });
});

describe("round", () => {
  it("drops trailing zeros of the fraction, never of the integer part", () => {
    expect(round(3070.33, 0)).toBe("3070");
    expect(round(3070, 0)).toBe("3070");
    expect(round(0.9, 2)).toBe("0.9");
    expect(round(1.255, 1)).toBe("1.3");
    expect(round(20.04, 1)).toBe("20");
  });
});

describe("results markdown", () => {
  const storm = {
    trials: 3,
    refreshesAtKeycloak: summarize([1, 1, 2]),
    refreshErrorsAtKeycloak: summarize([0, 0, 0]),
    failedRequests: summarize([0, 0, 0]),
    signOuts: summarize([0, 0, 0]),
    wallMs: summarize([500, 600, 700]),
  };
  const results: BenchResults = {
    generatedAt: "2026-11-23T00:00:00.000Z",
    machine,
    sections: {
      refreshStorm: section({ concurrentRequests: 100, accessTokenLifetimeSeconds: 20, oneInstance: storm, twoInstances: { skipped: "no Redis" } }),
      stackStart: section({
        ports: {},
        cold: { skipped: "no zip" },
        freshState: { seconds: summarize([20]), includes: "fresh" },
        warm: { seconds: summarize([12, 13, 61]), includes: "warm" },
      }),
    },
  };

  it("marks a storm with one extra refresh as missed and a skipped part as not measured", () => {
    const table = targetsTable(results);
    expect(table).toMatch(/Refresh storm, one web instance.*\| 1 \/ 1 \/ 2 · 0 \/ 0 \/ 0 · 0 \/ 0 \/ 0 \| \*\*missed\*\* \|/);
    expect(table).toMatch(/two web instances sharing Redis \| 1 \/ 0 \/ 0 \| skipped: no Redis \| not measured \|/);
    expect(table).toMatch(/`npm start`, warm cache.*\| 12 \/ 13 \/ 61 s \| median only \|/);
  });

  it("states the machine and leaves out sections that were not measured", () => {
    const markdown = resultsMarkdown(results);
    expect(markdown).toContain("| CPU | Test CPU, 2 cores |");
    expect(markdown).toContain("## 3. Refresh storm");
    expect(markdown).not.toContain("## 1. Strapi throughput");
  });
});
