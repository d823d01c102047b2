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

  it("judges the Shared Signals rows: any introspection in ssf mode misses, p99 over 1 s misses", () => {
    const rate = (sessions: number, counted: number) => ({
      sessions,
      introspectionsPerSecond: summarize([counted / 10]),
      introspectionRequestsPerSecond: summarize([counted / 10]),
      introspectionsCounted: counted,
      apiRequestsPerSecond: summarize([900]),
      failures: 0,
    });
    const latency = (p99: number) => ({ p50: 300, p95: 600, p99, max: p99 });
    const revocation = (p99: number) => ({ trials: 10, neverRefused: 0, firstInstanceMs: latency(p99), secondInstanceMs: latency(p99), bothMs: latency(p99), samplesMs: [] });
    const withSsf = (ssfIntrospections: number, p99: number): BenchResults => ({
      ...results,
      sections: {
        ssfIntrospections: section({
          route: "/api/bench/keycloak/ping",
          concurrency: 16,
          warmupSeconds: 7,
          countedSeconds: 10,
          rounds: 1,
          modes: { ssf: [rate(1, 0), rate(100, 0), rate(1000, ssfIntrospections)], introspection: [rate(1, 2), rate(100, 200), rate(1000, 2000)] },
        }),
        ssfRevocation: section({ action: "adminSignOut" as const, revocationWindowSeconds: 5, pollIntervalMs: 50, modes: { ssf: revocation(p99), introspection: revocation(4900) } }),
      },
    });
    const met = targetsTable(withSsf(0, 950));
    expect(met).toMatch(/Introspections at Keycloak per second, ssf mode, steady state \(1 \/ 100 \/ 1,000 sessions\) \| 0 \| .* \| met \(every run\) \|/);
    expect(met).toMatch(/ssf mode, admin sign-out \(p50 \/ p95 \/ p99 of 10\) \| p99 ≤ 1 s \| 300 \/ 600 \/ 950 ms \| met \|/);
    const missed = targetsTable(withSsf(1, 1200));
    expect(missed).toMatch(/ssf mode, steady state .*\| \*\*missed\*\* \|/);
    expect(missed).toMatch(/ssf mode, admin sign-out .*\| 300 \/ 600 \/ 1200 ms \| \*\*missed\*\* \|/);
    expect(resultsMarkdown(withSsf(0, 950))).toContain("## 8. Revocation latency across two cms instances");
  });
});

describe("session layer (section 6)", () => {
  const page = (rps: number) => ({ requestsPerSecond: summarize([rps]), p50Ms: summarize([5]), p90Ms: summarize([8]), p99Ms: summarize([12]), failures: 0 });
  const withLayer = (ratios: number[], accountReads: number[]): BenchResults => ({
    generatedAt: "2026-11-29T00:00:00.000Z",
    machine,
    sections: {
      webLatency: section({
        concurrency: 8,
        durationSeconds: 10,
        pages: { account: page(100), notes: page(80) },
        sessionLayer: {
          concurrency: 8,
          durationSeconds: 5,
          warmupSeconds: 1,
          rounds: ratios.length,
          variants: { withSession: page(190), withoutSession: page(200) },
          throughputRatio: summarize(ratios),
          p50LatencyRatio: summarize(ratios),
          storeReadsPerView: {
            viewsPerRound: 20,
            pages: {
              "/account": summarize(accountReads),
              "/notes": summarize([1, 1, 1]),
              "/bench/account/with-session": summarize([1, 1, 1]),
              "/bench/account/without-session": summarize([0, 0, 0]),
            },
          },
        },
      }),
    },
  });

  it("puts the with ÷ without ratio and the reads per page view into the targets table, leaving out the page with no session", () => {
    const met = targetsTable(withLayer([0.92, 0.95, 0.97], [1, 1, 1]));
    expect(met).toMatch(/protected page through the BFF ÷ the same render with no session lookup \(per round\) \| ≥ 0.90x \| 0.92 \/ 0.95 \/ 0.97x \| met \(every run\) \|/);
    expect(met).toMatch(/Token-store reads per page view \(`\/account` \/ `\/notes` \/ `\/bench\/account\/with-session`\) \| 1 \| 1 \/ 1 \/ 1 · 1 \/ 1 \/ 1 · 1 \/ 1 \/ 1 \| met \(every run\) \|/);
    const missed = targetsTable(withLayer([0.8, 0.85, 0.95], [1, 2, 2]));
    expect(missed).toMatch(/no session lookup \(per round\) \| ≥ 0.90x \| 0.8 \/ 0.85 \/ 0.95x \| \*\*missed\*\* \|/);
    expect(missed).toMatch(/Token-store reads per page view .*\| 1 \/ 2 \/ 2 · .*\| \*\*missed\*\* \|/);
    expect(targetsTable(withLayer([0.95], [1, 1, 2]))).toMatch(/Token-store reads per page view .*\| median only \|/);
  });

  it("details both variants and every page's reads in section 6, and leaves the rows out for results measured before", () => {
    const details = resultsMarkdown(withLayer([0.92, 0.95, 0.97], [1, 1, 1]));
    expect(details).toContain("**The session layer's cost.**");
    expect(details).toMatch(/\| with the session lookup \| 190 \/ 190 \/ 190 \|/);
    expect(details).toMatch(/\| `\/bench\/account\/without-session` \| 0 \/ 0 \/ 0 \|/);
    const before = withLayer([1], [1]);
    delete before.sections.webLatency!.result.sessionLayer;
    expect(targetsTable(before)).not.toContain("Token-store reads");
    expect(resultsMarkdown(before)).not.toContain("session layer's cost");
    expect(details).not.toContain("CPU per request, without ÷ with");
  });

  it("adds the web server's CPU per request when the run measured it", () => {
    const results = withLayer([0.88, 0.9, 0.93], [1, 1, 1]);
    const layer = results.sections.webLatency!.result.sessionLayer!;
    layer.cpuRatio = summarize([0.91, 0.93, 0.95]);
    layer.variants.withSession.cpuMicrosecondsPerRequest = summarize([3300, 3400, 3500]);
    layer.variants.withoutSession.cpuMicrosecondsPerRequest = summarize([3100, 3150, 3200]);
    expect(targetsTable(results)).toMatch(/Web app CPU per request, .*\| ≥ 0.90x \| 0.91 \/ 0.93 \/ 0.95x \| met \(every run\) \|/);
    const details = resultsMarkdown(results);
    expect(details).toMatch(/\| with the session lookup \| 190 \/ 190 \/ 190 \| 3300 \/ 3400 \/ 3500 \|/);
    expect(details).toMatch(/\| CPU per request, without ÷ with \| 0.91 \/ 0.93 \/ 0.95x \|/);
  });
});

describe("fault drills", () => {
  const withDrills = (failedAfterMarkedDown: number, withNodeLoss = true): BenchResults => ({
    generatedAt: "2026-11-28T00:00:00.000Z",
    machine,
    sections: {
      drills: section({
        exitCode: 0,
        records: {
          ...(withNodeLoss
            ? { "keycloak-node-loss": { recordedAt: "2026-11-28T00:00:00.000Z", figures: { failoverMs: 2345, signIns: 8, retriedSignIns: 1, stormPages: 24, unavailablePages: 3, signOuts: 0 } } }
            : {}),
          "cms-instance-loss-under-load": {
            recordedAt: "2026-11-28T00:00:00.000Z",
            figures: { requests: 12000, requestsPerSecond: 200, markedDownAfterMs: 2100, failed: 4, failedAfterMarkedDown },
          },
        },
      }),
    },
  });

  it("puts the failover time and the balancer window into the targets table, and every drill's figures into section 10", () => {
    const met = targetsTable(withDrills(0));
    expect(met).toMatch(/Failover: Keycloak node killed → first completed sign-in on the survivor .*\| recorded \| 2345 ms; 1 of 8 sign-ins retried once, 0 sign-outs \| reference \|/);
    expect(met).toMatch(/failed requests after HAProxy marks it DOWN \| 0 \| 0 \(of 12000; DOWN 2100 ms after the kill, 4 failed before\) \| met \|/);
    expect(targetsTable(withDrills(2))).toMatch(/marks it DOWN \| 0 \| 2 .*\| \*\*missed\*\* \|/);
    expect(targetsTable(withDrills(0, false))).toMatch(/Failover: .*\| no record \| \*\*missing\*\* \|/);
    const details = resultsMarkdown(withDrills(0));
    expect(details).toContain("## 10. Fault drills (production topology)");
    expect(details).toMatch(/`keycloak-node-loss` \| a Keycloak node killed .*\| failoverMs 2345, signIns 8/);
  });
});
