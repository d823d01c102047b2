// `npm test`: the unit tier first (no processes), then one test stack (its own
// ports, fresh data) for the integration and flow tiers, torn down at the end
// whatever happens.
// `npm run test:prod`: the production-mode suite (`*.prod.test.ts`) against the
// production topology (PostgreSQL, Redis, two web and two cms instances).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startStack, type Stack } from "./stack.ts";
import { startControlServer, type ControlServer } from "./stack-control-server.ts";
import { loadStackConfig, repoRoot } from "./stack-config.ts";
import type { Environment, StackEnvInput } from "./stack-env-input.ts";
import { stackEnvVars } from "./stack-env.ts";
import { lint } from "./lint.ts";

const require = createRequire(import.meta.url);
type Say = (line: string) => void;
const TIERS = ["unit", "integration", "flow"] as const;
type Tier = (typeof TIERS)[number];

function vitest(projects: string[], extraArgs: string[], inherited: Environment, env: Record<string, string>): Promise<number> {
  const bin = join(dirname(require.resolve("vitest/package.json", { paths: [repoRoot] })), "vitest.mjs");
  const args = [bin, "run", ...projects.flatMap((p) => ["--project", p]), ...extraArgs];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...inherited, ...env }, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Starts a fresh stack, runs `projects` against it with the stack's addresses, always tears it down. */
async function withTestStack(profile: "test" | "test-prod", projects: string[], extraArgs: string[], input: StackEnvInput, say: Say): Promise<number> {
  const started = Date.now();
  const config = loadStackConfig(profile, input);
  say(`starting the ${profile} stack (Keycloak ${config.ports.keycloak}, Strapi ${config.ports.cms}, web ${config.ports.web}, ...) ...`);
  let stack: Stack | undefined;
  let control: ControlServer | undefined;
  // Ctrl-C reaches vitest directly (same process group) and ends it; during
  // startup it aborts the start. Either way the finally block stops the stack.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    try {
      stack = await startStack(config, { say, fresh: true, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) return 130;
      throw error;
    }
    control = await startControlServer(stack);
    say(`${profile} stack ready in ${Math.round((Date.now() - started) / 1000)} s; running ${projects.join(" and ")} ...`);
    return await vitest(projects, extraArgs, input.inherited, {
      ...stackEnvVars(stack.env()),
      ...stack.productionEnv(),
      STACK_CONTROL_URL: control.url,
      STACK_WEB_ACCESS_TOKEN_SECONDS: String(config.testTweaks?.webAccessTokenLifespanSeconds ?? 300),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    say(`stopping the ${profile} stack ...`);
    await control?.close();
    await stack?.stop();
    say(`done in ${Math.round((Date.now() - started) / 1000)} s.`);
  }
}

export async function runTests(argv: string[], input: StackEnvInput, say: Say, typecheck: () => Promise<number>): Promise<number> {
  // `--tier unit|integration|flow` runs one tier; anything else goes to vitest
  // (a file filter, `-t <name>`, ...).
  let only: Tier | undefined;
  let production = false;
  const passThrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--tier") only = argv[++i] as Tier;
    else if (argv[i] === "--prod") production = true;
    else passThrough.push(argv[i]!);
  }
  if (only && !TIERS.includes(only)) {
    say(`--tier ${only}: use ${TIERS.join(", ")}`);
    return 2;
  }
  // A filter (`npm test -- test/e2e`) matches files of some tiers only; the
  // others then have nothing to run, which is not a failure. vitest still prints
  // "No test files found" for each of them.
  if (!only && passThrough.length > 0) passThrough.push("--passWithNoTests");
  if (production) return withTestStack("test-prod", ["prod"], passThrough, input, say);

  if (!only) {
    say("type check ...");
    const code = await typecheck();
    if (code !== 0) return code;
  }
  if (!only || only === "unit") {
    say("lint ...");
    const linted = await lint();
    if (linted !== 0) return linted;
    say("unit tier ...");
    const code = await vitest(["unit"], passThrough, input.inherited, {});
    if (code !== 0 || only === "unit") return code;
  }
  return withTestStack("test", only ? [only] : ["integration", "flow"], passThrough, input, say);
}
