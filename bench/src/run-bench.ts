// `npm run bench`: measures the targets of docs/decisions/0011-measured-targets.md on this machine and
// writes bench/results.json, bench/RESULTS.md and bench/README.md's targets table.
//
//   npm run bench                              every measurement, 3 repetitions
//   npm run bench -- --only strapi,verify      some (start, drills, verify, strapi, web, storm, revocation,
//                                              ssf-introspections, ssf-cpu, ssf-revocation; `ssf` = those
//                                              three); the other sections are kept from the last results.json
//   npm run bench -- --repeat 5
//   npm run bench -- --render                  rewrites RESULTS.md and bench/README.md's table from results.json
//
// `start` times the real `npm start` (on ports of its own) before anything
// else runs; `drills` then runs the production-mode fault drills (bench/src/drills.ts); the others share one bench stack (profile `bench`: its own ports
// and state, Strapi with CMS_BENCH_ROUTES, short web tokens like the tests).
// Nothing here asserts: a missed target is reported, not failed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "@stack/runner/stack";
import { loadStackConfig, repoRoot } from "@stack/runner/stack-config";
import { realmAdmin } from "@stack/testkit/realm-admin";
import type { BenchContext } from "./bench-context.ts";
import { SECTION_GROUPS, SECTION_NAMES, type BenchResults, type BenchSections, type Section, type SectionName } from "./bench-results.ts";
import { readBenchInput } from "./bench-env.ts";
import { machineInfo } from "./machine-info.ts";
import { measureDrills } from "./drills.ts";
import { measureRefreshStorm } from "./refresh-storm.ts";
import { resultsMarkdown, targetsTable } from "./results-markdown.ts";
import { measureRevocationLatency } from "./revocation-latency.ts";
import { measureSsfCpu } from "./ssf-cpu.ts";
import { measureSsfIntrospections } from "./ssf-introspections.ts";
import { openSessions, startSsfRig, type BenchSessions, type SsfRig } from "./ssf-rig.ts";
import { measureSsfRevocation } from "./ssf-revocation-latency.ts";
import { measureStackStart, stopStartRuns } from "./stack-start.ts";
import { measureStrapiThroughput } from "./strapi-throughput.ts";
import { measureVerifyCost } from "./verify-cost.ts";
import { measureWebLatency } from "./web-latency.ts";

type Say = (line: string) => void;

const BENCH_DIR = join(repoRoot, "bench");
const RESULTS_JSON = join(BENCH_DIR, "results.json");
const RESULTS_MD = join(BENCH_DIR, "RESULTS.md");
const README = join(repoRoot, "bench", "README.md");
const README_START = "<!-- bench:targets:start -->";
const README_END = "<!-- bench:targets:end -->";

type OutsideStack = "stackStart" | "drills";
const IN_STACK: Exclude<SectionName, OutsideStack>[] = [
  "verifyCost",
  "strapiThroughput",
  "webLatency",
  "refreshStorm",
  "revocationLatency",
  "ssfIntrospections",
  "ssfCpu",
  "ssfRevocation",
];
// The Shared Signals sections' session count: the most any of them uses.
const SSF_SESSIONS = 1000;
const MEASURE: Record<Exclude<SectionName, OutsideStack>, (context: BenchContext) => Promise<unknown>> = {
  verifyCost: measureVerifyCost,
  strapiThroughput: measureStrapiThroughput,
  webLatency: measureWebLatency,
  refreshStorm: measureRefreshStorm,
  revocationLatency: measureRevocationLatency,
  ssfIntrospections: measureSsfIntrospections,
  ssfCpu: measureSsfCpu,
  ssfRevocation: measureSsfRevocation,
};

export async function runBench(argv: string[], say: Say): Promise<number> {
  let repeat = 3;
  let only: SectionName[] | undefined;
  if (argv.includes("--render")) {
    const results = JSON.parse(readFileSync(RESULTS_JSON, "utf8")) as BenchResults;
    write(results.machine, results.sections, results.generatedAt);
    say(`rewrote ${RESULTS_MD} and bench/README.md's table from ${RESULTS_JSON}`);
    return 0;
  }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--repeat") repeat = Number(argv[++i]);
    else if (argv[i] === "--only") {
      const names = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = names.filter((name) => !(name in SECTION_NAMES) && !(name in SECTION_GROUPS));
      if (unknown.length > 0 || names.length === 0) {
        const known = [...Object.keys(SECTION_NAMES), ...Object.keys(SECTION_GROUPS)];
        say(`--only takes a comma list of ${known.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`);
        return 2;
      }
      only = names.flatMap((name) => SECTION_GROUPS[name] ?? [SECTION_NAMES[name]!]);
    } else {
      say(`unknown argument ${argv[i]}; use --only <names> and --repeat <n>`);
      return 2;
    }
  }
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
    say("--repeat takes a whole number from 1 to 20");
    return 2;
  }
  const wanted = new Set<SectionName>(only ?? Object.values(SECTION_NAMES));
  const previous = only && existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, "utf8")) as BenchResults) : undefined;
  const sections: BenchSections = { ...previous?.sections };
  const input = readBenchInput();
  const machine = machineInfo(input);
  say(`bench: ${[...wanted].join(", ")}; ${repeat} repetitions; ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverageAtStart}`);

  const abort = new AbortController();
  let stack: Stack | undefined;
  let ssf: Promise<{ rig: SsfRig; sessions: BenchSessions }> | undefined;
  const onSignal = () => {
    abort.abort();
    stopStartRuns();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const section = async <T>(run: () => Promise<T>, repetitions = repeat): Promise<Section<T>> => {
    const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
    const measuredAt = new Date().toISOString();
    return { measuredAt, repeat: repetitions, loadAverage, result: await run() };
  };
  try {
    if (wanted.has("stackStart")) {
      say("stack start: timing `npm start` (cold, fresh state, warm) ...");
      sections.stackStart = await section(() => measureStackStart({ repeat, workDir: join(repoRoot, ".stack", "bench-start"), say, input }));
      write(machine, sections);
    }
    if (wanted.has("drills") && !abort.signal.aborted) {
      say("drills: the production topology's fault drills (failover time and counts) ...");
      // One run whatever --repeat says: the drills take minutes and assert their own bounds.
      sections.drills = await section(() => measureDrills({ workDir: join(repoRoot, ".stack", "bench-drills"), input, say }), 1);
      write(machine, sections);
    }
    const inStack = IN_STACK.filter((name) => wanted.has(name));
    if (inStack.length > 0 && !abort.signal.aborted) {
      const config = loadStackConfig("bench", input);
      say(`starting the bench stack (Keycloak ${config.ports.keycloak}, Strapi ${config.ports.cms}, web ${config.ports.web}) ...`);
      stack = await startStack(config, { say, fresh: true, signal: abort.signal });
      const env = stack.env();
      const admin = await realmAdmin(env);
      // Keycloak stores no REFRESH_TOKEN events by default; this turns storage on
      // (and changes nothing else: the bench tokens already live 20 s).
      await admin.shortAccessTokens(3600, 3600);
      const context: BenchContext = {
        config,
        env,
        admin,
        repeat,
        say,
        webPid: stack.children.find((child) => child.name === "web")?.pid,
        ssf: () =>
          (ssf ??= (async () => {
            say("starting Strapi instances in both revocation modes ...");
            const rig = await startSsfRig(context);
            try {
              say(`opening ${SSF_SESSIONS} Keycloak sessions ...`);
              const started = Date.now();
              const sessions = await openSessions(context, "bench-ssf-sessions", SSF_SESSIONS);
              say(`  ${sessions.tokens.length} sessions of ${sessions.users.length} users in ${Math.round((Date.now() - started) / 1000)} s`);
              return { rig, sessions };
            } catch (error) {
              await rig.stop();
              throw error;
            }
          })()),
      };
      for (const name of inStack) {
        if (abort.signal.aborted) break;
        say(`${name} ...`);
        (sections as Record<string, unknown>)[name] = await section(() => MEASURE[name](context));
        write(machine, sections);
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (ssf) {
      const shared = await ssf.catch(() => undefined);
      await shared?.sessions.close().catch(() => undefined);
      await shared?.rig.stop();
    }
    if (stack) {
      say("stopping the bench stack ...");
      await stack.stop();
    }
  }
  if (abort.signal.aborted) return 130;
  say(`wrote ${RESULTS_JSON}, ${RESULTS_MD} and bench/README.md's table:`);
  process.stdout.write(`\n${targetsTable({ generatedAt: "", machine, sections })}\n\n`);
  return 0;
}

function write(machine: BenchResults["machine"], sections: BenchSections, generatedAt = new Date().toISOString()): void {
  const results: BenchResults = { generatedAt, machine, sections };
  mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(RESULTS_MD, resultsMarkdown(results));
  // Only between the markers: the rest of the README is written by people.
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start >= 0 && end > start) {
    const table = `${README_START}\n${targetsTable(results)}\n\n_${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB; ${results.generatedAt.slice(0, 10)}; details in [bench/RESULTS.md](RESULTS.md)._\n`;
    writeFileSync(README, readme.slice(0, start) + table + readme.slice(end));
  }
}
