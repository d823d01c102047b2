#!/usr/bin/env node
// Entry point of every root npm script. It must run on whatever Node the machine
// has (18 or newer), so it is plain JavaScript with no dependencies.
//
//   1. Make sure the pinned Node (toolchain.json) runs us. If the machine's Node
//      is another major, fetch the `node-<os>-<arch>` package of the pinned
//      version from the npm registry the machine's npm is configured for, unpack
//      it into the cache (outside git) and re-run this script with it.
//   2. Install the workspace's dependencies when they are missing or stale, with
//      native addons (better-sqlite3) built against the headers of the Node that
//      will load them (npm_config_nodedir).
//   3. Hand over to stack/src/cli.ts (TypeScript, run by Node's type stripping),
//      or, for `run <file> ...`, to another workspace's entry point (the bench),
//      so that the runner never imports it.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const toolchain = JSON.parse(readFileSync(join(root, "toolchain.json"), "utf8"));
const wanted = toolchain.node;
const wantedMajor = wanted.split(".")[0];
const cacheDir = resolve(
  process.env.STACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "kc-next-strapi"),
);

const say = (line) => process.stderr.write(`[setup] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`\n[setup] ${line}\n\n`);
  process.exit(1);
};

function npmCommand() {
  // When started through `npm run`, npm tells us which npm it is; re-use it so
  // that a provisioned Node runs the very same npm.
  const cli = process.env.npm_execpath;
  if (cli && cli.endsWith(".js") && existsSync(cli)) return { cmd: process.execPath, pre: [cli] };
  return { cmd: "npm", pre: [] };
}

function provisionNode() {
  const platform = process.platform === "win32" ? "win" : process.platform;
  const arch = process.arch;
  const pkg = `node-${platform}-${arch}`;
  const dir = join(cacheDir, `node-${wanted}-${platform}-${arch}`);
  const bin = join(dir, "bin", platform === "win" ? "node.exe" : "node");
  if (existsSync(bin)) return dir;

  say(`Node ${process.versions.node} runs this script; the project needs Node ${wanted}.`);
  say(`fetching ${pkg}@${wanted} from the npm registry into ${dir} ...`);
  const work = join(cacheDir, `.node-download-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const npm = npmCommand();
  const packed = spawnSync(npm.cmd, [...npm.pre, "pack", `${pkg}@${wanted}`, "--silent", "--pack-destination", work], {
    cwd: work,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (packed.status !== 0) {
    fail(
      `Could not fetch ${pkg}@${wanted} with npm (exit ${packed.status}).\n` +
        `  Install Node ${wantedMajor} yourself (for example with nvm: \`nvm install ${wantedMajor}\`) and run the command again.`,
    );
  }
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) fail(`npm pack produced no tarball for ${pkg}@${wanted}.`);
  const untar = spawnSync("tar", ["-xzf", join(work, tarball), "-C", work], { stdio: "inherit" });
  if (untar.status !== 0) fail("Could not unpack the Node tarball (is `tar` installed?).");
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(work, "package"), dir);
  rmSync(work, { recursive: true, force: true });
  if (!existsSync(bin)) fail(`The ${pkg}@${wanted} package holds no ${bin}.`);
  say(`Node ${wanted} is ready (${bin}).`);
  return dir;
}

function reexecWith(nodeDir) {
  const bin = join(nodeDir, "bin", "node");
  const env = {
    ...process.env,
    PATH: `${join(nodeDir, "bin")}:${process.env.PATH ?? ""}`,
    npm_config_nodedir: nodeDir,
    STACK_NODE_DIR: nodeDir,
  };
  const child = spawn(bin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit", env });
  // Ctrl-C reaches the child directly (same process group); it stops the stack
  // and exits. We only wait for it, and pass on signals that were sent to us alone.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  process.on("SIGHUP", () => child.kill("SIGHUP"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
}

function headersDir() {
  // node-gyp needs the headers of the Node that will load the addon. The
  // npm-registry Node package ships them next to its binary; a system Node
  // usually has them under <prefix>/include/node.
  if (process.env.STACK_NODE_DIR) return process.env.STACK_NODE_DIR;
  const prefix = resolve(dirname(process.execPath), "..");
  return existsSync(join(prefix, "include", "node", "node.h")) ? prefix : undefined;
}

function installStamp() {
  const hash = createHash("sha256");
  hash.update(process.versions.node);
  for (const file of ["package.json", "package-lock.json", "apps/web/package.json", "apps/cms/package.json", "stack/package.json", "packages/testkit/package.json", "packages/keycloak-tokens/package.json", "bench/package.json"]) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

function ensureDependencies() {
  const stampFile = join(root, "node_modules", ".stack-install-stamp");
  const stamp = installStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;

  // A fresh clone gets exactly the lockfile (`npm ci`); an existing install that
  // is merely out of date is brought up to it with `npm install`, which keeps
  // what is already right instead of deleting node_modules.
  const fresh = !existsSync(join(root, "node_modules"));
  const useCi = fresh && existsSync(join(root, "package-lock.json"));
  say(
    fresh
      ? `installing dependencies (Node ${process.versions.node}; the first time takes a few minutes) ...`
      : "dependencies changed since the last install; updating them ...",
  );
  const nodedir = headersDir();
  const npm = npmCommand();
  const env = { ...process.env };
  if (nodedir) env.npm_config_nodedir = nodedir;
  // Strapi's and Next's telemetry would call home during install and at start.
  env.STRAPI_TELEMETRY_DISABLED = "true";
  env.NEXT_TELEMETRY_DISABLED = "1";
  const args = [...npm.pre, useCi ? "ci" : "install", "--no-audit", "--no-fund"];
  const result = spawnSync(npm.cmd, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    fail(`npm ${useCi ? "ci" : "install"} failed (exit ${result.status}); the output above says why.`);
  }
  writeFileSync(stampFile, installStamp());
}

const major = process.versions.node.split(".")[0];
if (major !== wantedMajor && process.env.STACK_ALLOW_ANY_NODE !== "1") {
  if (Number(major) < 18) fail(`Node ${process.versions.node} is too old even to provision Node ${wanted}; install Node ${wantedMajor}.`);
  reexecWith(provisionNode());
} else {
  process.env.STACK_CACHE_DIR = cacheDir;
  process.env.TMPDIR ??= tmpdir();
  if (process.argv.includes("--reinstall")) rmSync(join(root, "node_modules", ".stack-install-stamp"), { force: true });
  ensureDependencies();
  if (process.argv[2] === "install") process.exit(0);
  if (process.argv[2] === "run") {
    const entry = resolve(root, process.argv[3] ?? "");
    if (!process.argv[3] || !existsSync(entry)) fail(`run: no entry point ${process.argv[3] ?? "(none given)"}`);
    // The entry point reads its own arguments from process.argv.slice(2).
    process.argv.splice(2, 2);
    await import(pathToFileURL(entry).href);
  } else {
    await import("./src/cli.ts");
  }
}
