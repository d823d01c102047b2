// The runner is what `npm start` runs: none of its runtime files may import the
// test kit or the bench (they import the runner, not the other way round).
// Test files of the runner may use the test kit like any other test.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./stack-config.ts";

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
const FORBIDDEN = /^@stack\/(testkit|bench)(\/|$)|(^|\/)packages\/testkit\/|(^|\/)bench\/src\//;

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return runtimeFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("runner import boundaries", () => {
  it("no runtime file of stack/ imports the test kit or the bench", () => {
    const files = [join(repoRoot, "stack", "bootstrap.mjs"), ...runtimeFiles(join(repoRoot, "stack", "src"))];
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(SPECIFIER)]
        .map((match) => match[1]!)
        .filter((specifier) => FORBIDDEN.test(specifier))
        .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
