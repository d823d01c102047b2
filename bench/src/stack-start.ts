// Measurement 5: `npm start` to all parts ready, timed from outside: the real
// command (`node stack/bootstrap.mjs start`, what the root script runs), from
// spawn until it prints its ready banner, then stopped with SIGTERM as Ctrl-C
// would. It runs on ports and a state folder of its own, so a developer's
// `npm start` (ports 8080, 3000, ...) is untouched.
//   cold        empty cache and empty state: the Keycloak zip (taken from the
//               cache through KEYCLOAK_DIST, so no network) is unpacked, our
//               Keycloak extension compiled, the server copied into the state
//               folder and built by Keycloak's first start; the
//               realm is imported, H2 and SQLite are created, the overlay runs.
//               Not included: fetching Node, `npm install`, downloading
//               Keycloak, compiling Strapi's server code (apps/cms/dist is
//               current) and Next's dev compile cache (apps/web/.next/dev).
//   fresh state cache warm, state empty: what every `npm test` run does.
//   warm        cache and state from an earlier start: a developer's second
//               and later `npm start`.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pinnedKeycloakVersion } from "@stack/runner/keycloak/obtain-distribution";
import { killGroup } from "@stack/runner/process/child-process";
import { repoRoot } from "@stack/runner/stack-config";
import type { StackEnvInput } from "@stack/runner/stack-env-input";
import { summarize, type Summary } from "./summarize.ts";

export interface StackStartResult {
  ports: Record<string, number>;
  cold: { seconds: Summary; includes: string } | { skipped: string };
  freshState: { seconds: Summary; includes: string };
  warm: { seconds: Summary; includes: string };
}

export interface StackStartOptions {
  repeat: number;
  /** Where the measured stacks keep their state and the bench its logs. */
  workDir: string;
  /** The bench process's settings (bench-env.ts): the cache folder, and what `npm start` inherits. */
  input: StackEnvInput;
  say: (line: string) => void;
}

// Below Linux's ephemeral range, and apart from every profile's defaults.
const PORTS = { KEYCLOAK_PORT: 27080, KEYCLOAK_MANAGEMENT_PORT: 27090, CMS_PORT: 27337, WEB_PORT: 27300, SMTP_PORT: 27025, MAIL_UI_PORT: 27081 };
const READY = /The stack is up \((\d+) s\)/;
const START_TIMEOUT_MS = 600_000;
const STOP_TIMEOUT_MS = 120_000;

const INCLUDES = {
  cold: "empty STACK_CACHE_DIR and state: unpack the Keycloak zip (from the local cache via KEYCLOAK_DIST, no download), compile our Keycloak extension, Keycloak's first build, realm import, new H2 and SQLite databases, dev overlay, next dev; excludes Node download, npm install, Keycloak download",
  freshState: "warm cache (unpacked and built Keycloak), empty state: Keycloak server copied into the state folder, realm import, new databases, dev overlay, next dev",
  warm: "warm cache and state from an earlier start (realm already imported)",
};

/** Children of a run in progress, so an interrupted bench can stop them. */
const live = new Set<ChildProcess>();
export function stopStartRuns(): void {
  for (const child of live) if (child.pid) killGroup(child.pid, "SIGKILL");
}

export async function measureStackStart(options: StackStartOptions): Promise<StackStartResult> {
  const { repeat, workDir, say, input } = options;
  const zip = join(input.cacheDir, "downloads", `keycloak-quarkus-dist-${pinnedKeycloakVersion()}.zip`);
  const logs = join(workDir, "logs");
  mkdirSync(logs, { recursive: true });

  let cold: StackStartResult["cold"];
  if (!existsSync(zip)) {
    cold = { skipped: `no cached Keycloak zip at ${zip}; a cold start would download it` };
  } else {
    const seconds: number[] = [];
    for (let run = 1; run <= repeat; run++) {
      const cacheDir = join(workDir, "cold-cache");
      const stateDir = join(workDir, "cold-state");
      rmSync(cacheDir, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
      try {
        seconds.push(await timedStart(input, { STACK_STATE_DIR: stateDir, STACK_CACHE_DIR: cacheDir, KEYCLOAK_DIST: zip }, join(logs, `start-cold-${run}.log`)));
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
      say(`  npm start, cold (${run}/${repeat}): ${seconds.at(-1)} s`);
    }
    cold = { seconds: summarize(seconds), includes: INCLUDES.cold };
  }

  const warmState = join(workDir, "warm-state");
  const fresh: number[] = [];
  const warm: number[] = [];
  // The first start of a fresh state is the fresh-state figure and prepares the warm ones.
  for (let run = 1; run <= repeat; run++) {
    rmSync(warmState, { recursive: true, force: true });
    fresh.push(await timedStart(input, { STACK_STATE_DIR: warmState }, join(logs, `start-fresh-state-${run}.log`)));
    say(`  npm start, fresh state (${run}/${repeat}): ${fresh.at(-1)} s`);
    if (run === 1) {
      for (let warmRun = 1; warmRun <= repeat; warmRun++) {
        warm.push(await timedStart(input, { STACK_STATE_DIR: warmState }, join(logs, `start-warm-${warmRun}.log`)));
        say(`  npm start, warm (${warmRun}/${repeat}): ${warm.at(-1)} s`);
      }
    }
  }
  rmSync(warmState, { recursive: true, force: true });
  return {
    ports: PORTS,
    cold,
    freshState: { seconds: summarize(fresh), includes: INCLUDES.freshState },
    warm: { seconds: summarize(warm), includes: INCLUDES.warm },
  };
}

/** Seconds from spawning `npm start`'s command to its ready banner; the stack is stopped before returning. */
async function timedStart(input: StackEnvInput, extraEnv: Record<string, string>, logFile: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...input.inherited, ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])), ...extraEnv };
  if (!extraEnv.STACK_CACHE_DIR) delete env.KEYCLOAK_DIST;
  const log = createWriteStream(logFile);
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, "stack", "bootstrap.mjs"), "start"], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const readyAt = await new Promise<number>((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(() => reject(new Error(`npm start did not become ready within ${START_TIMEOUT_MS / 1000} s (log: ${logFile})`)), START_TIMEOUT_MS);
      child.stdout!.on("data", (chunk: Buffer) => {
        log.write(chunk);
        buffered = (buffered + chunk.toString("utf8")).slice(-4096);
        if (READY.test(buffered)) {
          clearTimeout(timer);
          resolve(performance.now());
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => log.write(chunk));
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code} before it was ready (log: ${logFile})`));
      });
    });
    return Math.round((readyAt - started) / 100) / 10;
  } finally {
    // SIGTERM is what `npm run stop` sends; the orchestrator stops every part.
    if (child.exitCode === null) process.kill(child.pid!, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid!, "SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    live.delete(child);
    log.end();
  }
}
