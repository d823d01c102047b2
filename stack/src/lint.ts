// `npm run lint`, and the first step of `npm test`: Biome's linter over the
// whole tree with the small rule set of biome.json (no process.env outside the
// config modules, no unused imports, variables, parameters or private members).
// Lint only: no formatter runs (docs/decisions/0070-biome-lints-in-npm-test.md).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { repoRoot } from "./stack-config.ts";

export function lint(): Promise<number> {
  const biome = createRequire(`${repoRoot}/package.json`).resolve("@biomejs/biome/bin/biome");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [biome, "lint", "--max-diagnostics=200", "."], { cwd: repoRoot, stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
