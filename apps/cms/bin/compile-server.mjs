// Turns the CMS's TypeScript server code (config/, src/) into the CommonJS that
// Strapi loads from dist/. Transpile only, file by file: serving the API must not
// wait for a whole-program type check (that is `npm run typecheck`, run by the
// tests). Skips the work when nothing changed since the last run, and rebuilds
// dist/config and dist/src from scratch otherwise so that a deleted source file
// cannot live on in dist/. dist/build (the admin panel) is left alone.
// `npm start` and `npm test` may start Strapi from the same checkout at once:
// a lock serialises compiles, and the output is built aside and swapped in.
//
//   node bin/compile-server.mjs [--force]
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
// Bump when the output format changes, so old dist/ trees are rebuilt.
const FORMAT = 1;
const SOURCE_DIRS = ["config", "src"];
const SKIP = [/\.test\.ts$/, /\.d\.ts$/, /^src\/admin\//];
const LOCK_WAIT_MS = 120_000;
// A compile takes about a second; a lock this old was left by a process that died.
const STALE_LOCK_MS = 60_000;

export async function compileServer({ appDir, force = false }) {
  const started = performance.now();
  const distDir = path.join(appDir, "dist");
  const stampFile = path.join(distDir, ".server-build.json");
  const files = (await Promise.all(SOURCE_DIRS.map((dir) => listFiles(appDir, dir)))).flat().sort();

  const hash = createHash("sha256").update(`format ${FORMAT}\n`);
  for (const file of files) {
    const info = await stat(path.join(appDir, file));
    hash.update(`${file}\0${info.size}\0${info.mtimeMs}\n`);
  }
  const fingerprint = hash.digest("hex");
  const upToDate = async () =>
    (await readFile(stampFile, "utf8").then(JSON.parse, () => undefined))?.fingerprint === fingerprint;
  if (!force && (await upToDate())) return { compiled: false, files: files.length, ms: 0 };

  await mkdir(distDir, { recursive: true });
  return withLock(path.join(distDir, ".compile-lock"), async () => {
    // Another process may have compiled the same sources while we waited.
    if (!force && (await upToDate())) return { compiled: false, files: files.length, ms: 0 };
    const staging = path.join(distDir, `.staging-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await transpileInto(appDir, staging, files);
    for (const dir of SOURCE_DIRS) {
      const live = path.join(distDir, dir);
      const old = path.join(distDir, `.old-${process.pid}-${dir}`);
      await rename(live, old).catch((error) => {
        if (error.code !== "ENOENT") throw error;
      });
      await rename(path.join(staging, dir), live);
      await rm(old, { recursive: true, force: true });
    }
    await rm(staging, { recursive: true, force: true });
    await writeFile(stampFile, JSON.stringify({ fingerprint, files: files.length }) + "\n");
    return { compiled: true, files: files.length, ms: Math.round(performance.now() - started) };
  });
}

async function transpileInto(appDir, outDir, files) {
  const ts = require("typescript");
  await Promise.all(SOURCE_DIRS.map((dir) => mkdir(path.join(outDir, dir), { recursive: true })));
  const problems = [];
  for (const file of files) {
    const source = path.join(appDir, file);
    const target = path.join(outDir, file.replace(/\.ts$/, ".js"));
    await mkdir(path.dirname(target), { recursive: true });
    if (!file.endsWith(".ts")) {
      await copyFile(source, target);
      continue;
    }
    const output = ts.transpileModule(await readFile(source, "utf8"), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2023,
        esModuleInterop: true,
        isolatedModules: true,
        inlineSourceMap: true,
      },
    });
    for (const diagnostic of output.diagnostics ?? []) {
      problems.push(`${file}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
    }
    await writeFile(target, output.outputText);
  }
  if (problems.length > 0) {
    await rm(outDir, { recursive: true, force: true });
    throw new Error(`Cannot compile the CMS server code:\n  ${problems.join("\n  ")}`);
  }
}

/** mkdir is atomic: whoever creates the folder holds the lock. */
async function withLock(lockDir, work) {
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const since = await stat(lockDir).then((info) => Date.now() - info.mtimeMs, () => 0);
      if (since > STALE_LOCK_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > giveUpAt) throw new Error(`${lockDir} is held by another compile; remove it if none is running.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function listFiles(appDir, dir) {
  const entries = await readdir(path.join(appDir, dir), { recursive: true, withFileTypes: true }).catch((error) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|json)$/.test(entry.name))
    .map((entry) => path.relative(appDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !SKIP.some((pattern) => pattern.test(file)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const appDir = fileURLToPath(new URL("..", import.meta.url));
  const result = await compileServer({ appDir, force: process.argv.includes("--force") });
  console.log(
    result.compiled ? `Compiled ${result.files} server files in ${result.ms} ms.` : "Server code is up to date.",
  );
}
