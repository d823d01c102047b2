// `npm run lint`, and the first step of `npm test` (docs/decisions/0070-biome-lints-in-npm-test.md):
//   Biome's linter with biome.jsonc's rules: no process.env outside the config
//     modules, no unused imports, variables, parameters or private members;
//   knip with knip.json: no unused file or export.
// Lint only: no formatter runs. Both run even when the first fails, so one run
// lists every finding.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join, sep } from "node:path";
import { repoRoot } from "./stack-config.ts";

function run(bin: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function lint(): Promise<number> {
  const resolve = createRequire(join(repoRoot, "package.json")).resolve;
  const biome = await run(resolve("@biomejs/biome/bin/biome"), ["lint", "--max-diagnostics=200", "."]);
  // knip's package exports no bin path: its folder, from its main module.
  const knipMain = resolve("knip");
  const knipDir = knipMain.slice(0, knipMain.lastIndexOf(`${sep}node_modules${sep}knip${sep}`) + `${sep}node_modules${sep}knip`.length);
  const knip = await run(join(knipDir, "bin", "knip.js"), ["--no-progress"]);
  return biome !== 0 ? biome : knip;
}
