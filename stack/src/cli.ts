// Commands behind the root npm scripts (through stack/bootstrap.mjs, which has
// already provisioned Node and installed dependencies):
//   start      the dev stack in the foreground; Ctrl-C stops every process
//   stop       stops a dev stack started in another terminal
//   reset      stops it and deletes its data (Keycloak realm, SQLite, sessions, mail)
//   lint       Biome (biome.jsonc) and knip (knip.jsonc); also the first step of test
//   test       lint, unit tier, then the test stack and the integration and flow tiers
//   test --prod  the production-mode suite (PostgreSQL, Redis)
//   start --prod, stop --prod, reset --prod: the same for the production topology
//   realm:check  compares a live realm with keycloak/realm-export.json (see realm-check/)
//   keycloak:extensions  builds the provider jars of keycloak/extensions with Maven (see keycloak/keycloak-extensions-command.ts)
// (`npm run bench` is bench/src/main.ts, which the bootstrap hands over to: the
// runner does not import the bench; its targets: docs/decisions/0011-measured-targets.md.)
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { printBanner } from "./banner.ts";
import { ExtensionBuildError } from "./keycloak/extension-build.ts";
import { DistributionError } from "./keycloak/obtain-distribution.ts";
import { keycloakExtensionsCommand } from "./keycloak/keycloak-extensions-command.ts";
import { RealmSecretsError } from "./keycloak/missing-realm-secrets.ts";
import { seedDemoContent } from "./dev-seed.ts";
import { realmCheckCommand } from "./realm-check/realm-check-command.ts";
import { lint } from "./lint.ts";
import { runTests } from "./run-tests.ts";
import { ensureDatabases } from "./parts/postgres-databases.ts";
import { checkRedis } from "./parts/redis-keys.ts";
import { killGroup } from "./process/child-process.ts";
import { PrerequisiteError } from "./prerequisites.ts";
import { reapLeftovers, runningOrchestrator, startStack, type Stack } from "./stack.ts";
import { ConfigError, loadStackConfig, repoRoot } from "./stack-config.ts";
import { parseStackEnvInput, processEnvironment, type StackEnvInput } from "./stack-env-input.ts";

const say = (line: string): void => {
  process.stdout.write(`[stack] ${line}\n`);
};

async function start(profile: "dev" | "prod", input: StackEnvInput): Promise<number> {
  const config = loadStackConfig(profile, input);
  const existing = runningOrchestrator(config);
  if (existing) {
    say(`The ${profile} stack is already running (pid ${existing}); stop it with Ctrl-C in its terminal or \`npm run stop\`.`);
    printBanner(config, undefined);
    return 0;
  }
  const started = Date.now();
  const abort = new AbortController();
  let stopping: Promise<void> | undefined;
  let stack: Stack | undefined;
  const shutdown = (why: string) => {
    if (abort.signal.aborted) {
      say("stopping harder ...");
      for (const child of stack?.children ?? []) killGroup(child.pid, "SIGKILL");
      process.exit(130);
    }
    say(`${why}: stopping every process ...`);
    abort.abort();
    stopping = (stack?.stop() ?? Promise.resolve()).then(() => say("stopped."));
  };
  process.on("SIGINT", () => shutdown("Ctrl-C"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));

  try {
    stack = await startStack(config, { say, signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) return 130;
    throw error;
  }
  try {
    const created = await seedDemoContent(stack.env());
    if (created > 0) say(`seeded demo content (${created} new: a note per demo user, an article by the editor)`);
  } catch (error) {
    say(`could not seed demo content (${(error as Error).message}); the stack runs anyway.`);
  }
  printBanner(config, Date.now() - started);
  const crashed = await Promise.race([stack.crashed, new Promise<undefined>((resolve) => {
    const poll = setInterval(() => stopping && (clearInterval(poll), resolve(undefined)), 200);
  })]);
  if (crashed) {
    say(`${crashed.name} exited unexpectedly; last lines of ${crashed.logFile}:\n${crashed.tail(30)}`);
    await stack.stop();
    return 1;
  }
  await stopping;
  return 0;
}

async function stop(profile: "dev" | "prod", input: StackEnvInput): Promise<number> {
  const config = loadStackConfig(profile, input);
  const pid = runningOrchestrator(config);
  if (!pid) {
    reapLeftovers(config, say);
    say(`The ${profile} stack is not running.`);
    return 0;
  }
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 120 && runningOrchestrator(config); i++) await new Promise((r) => setTimeout(r, 500));
  say(runningOrchestrator(config) ? `pid ${pid} is still stopping.` : "stopped.");
  return 0;
}

async function reset(profile: "dev" | "prod", input: StackEnvInput): Promise<number> {
  await stop(profile, input);
  const config = loadStackConfig(profile, input);
  rmSync(config.stateDir, { recursive: true, force: true });
  if (config.production) {
    await ensureDatabases(config.production, config.secrets, { fresh: true });
    await checkRedis(config.production.redisUrl, { clearPrefix: config.production.redisKeyPrefix });
  }
  say(`deleted the ${profile} stack's data; the next start imports the realm afresh.`);
  return 0;
}

// One tsc run per TypeScript project; every project is checked even when an
// earlier one fails, so one run lists every problem.
async function typecheck(): Promise<number> {
  const projects = ["stack/tsconfig.json", "packages/testkit/tsconfig.json", "packages/keycloak-tokens/tsconfig.json", "bench/tsconfig.json", "test/tsconfig.json", "apps/web/tsconfig.json", "apps/cms/tsconfig.json", "apps/cms/test/tsconfig.json", "apps/cli/tsconfig.json"];
  const tsc = createRequire(join(repoRoot, "package.json")).resolve("typescript/bin/tsc");
  let failed = 0;
  for (const project of projects) {
    const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", project], { cwd: repoRoot, stdio: "inherit" });
    say(`${project}: ${result.status === 0 ? "ok" : "errors"}`);
    if (result.status !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const profile = rest.includes("--prod") ? "prod" : "dev";
  // The runner's variables, read and checked once; everything below gets them passed in.
  const input = parseStackEnvInput(processEnvironment());
  switch (command) {
    case "start":
      return start(profile, input);
    case "stop":
      return stop(profile, input);
    case "reset":
      return reset(profile, input);
    case "test":
      return runTests(rest, input, say, typecheck);
    case "typecheck":
      return typecheck();
    case "lint":
      return lint();
    case "realm:check":
      return realmCheckCommand(input, (line) => process.stdout.write(`${line}\n`));
    case "keycloak:extensions":
      return keycloakExtensionsCommand(rest, input, say);
    default:
      process.stderr.write(`unknown command ${command ?? "(none)"}; use start, stop, reset, test, lint, typecheck, realm:check or keycloak:extensions\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof PrerequisiteError || error instanceof ConfigError || error instanceof ExtensionBuildError || error instanceof RealmSecretsError || error instanceof DistributionError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    process.stderr.write(`\n[stack] ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
