// `npm run bench`: stack/bootstrap.mjs provisions Node and the dependencies,
// then hands over here (`bootstrap.mjs run bench/src/main.ts ...`).
import { PrerequisiteError } from "@stack/runner/prerequisites";
import { ConfigError } from "@stack/runner/stack-config";
import { runBench } from "./run-bench.ts";

const say = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};

try {
  process.exitCode = await runBench(process.argv.slice(2), say);
} catch (error) {
  if (error instanceof PrerequisiteError || error instanceof ConfigError) process.stderr.write(`\n${error.message}\n\n`);
  else process.stderr.write(`\n[bench] ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
