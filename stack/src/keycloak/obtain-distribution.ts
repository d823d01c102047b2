// Obtains the pinned Keycloak server distribution and returns the folder of the
// unpacked, untouched server. Sources, in order:
//   1. KEYCLOAK_DIST: a distribution zip or an unpacked folder you already have;
//   2. the cache (STACK_CACHE_DIR, outside git);
//   3. Maven, by coordinates org.keycloak:keycloak-quarkus-dist:<version>:zip;
//   4. Keycloak's release download (KEYCLOAK_DOWNLOAD_URL overrides it).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { repoRoot } from "../stack-config.ts";
import type { StackEnvInput } from "../stack-env-input.ts";
import type { JavaRuntime } from "./find-java.ts";

export function pinnedKeycloakVersion(): string {
  const toolchain = JSON.parse(readFileSync(join(repoRoot, "toolchain.json"), "utf8")) as { keycloak: string };
  return toolchain.keycloak;
}

export class DistributionError extends Error {
  readonly code = "ERR_KEYCLOAK_DISTRIBUTION";
}

type Say = (line: string) => void;

export async function obtainDistribution(options: {
  cacheDir: string;
  java: JavaRuntime;
  say: Say;
  /** KEYCLOAK_DIST and KEYCLOAK_DOWNLOAD_URL. */
  input: Pick<StackEnvInput, "keycloakDist" | "keycloakDownloadUrl">;
}): Promise<string> {
  const version = pinnedKeycloakVersion();
  const unpacked = join(options.cacheDir, `keycloak-${version}`);

  const given = options.input.keycloakDist;
  if (given) {
    if (!existsSync(given)) throw new DistributionError(`KEYCLOAK_DIST=${given} does not exist.`);
    if (statSync(given).isDirectory()) {
      assertServerFolder(given, version);
      return given;
    }
    if (!isServerFolder(unpacked)) unpack(given, unpacked, options);
    return unpacked;
  }
  if (isServerFolder(unpacked)) return unpacked;

  const downloads = join(options.cacheDir, "downloads");
  mkdirSync(downloads, { recursive: true });
  const zip = join(downloads, `keycloak-quarkus-dist-${version}.zip`);
  if (!existsSync(zip)) {
    const viaMaven = await fetchWithMaven(version, downloads, options.say);
    if (!viaMaven) await fetchRelease(version, zip, options.say, options.input.keycloakDownloadUrl);
  }
  unpack(zip, unpacked, options);
  return unpacked;
}

function isServerFolder(dir: string): boolean {
  return existsSync(join(dir, "bin", "kc.sh")) && existsSync(join(dir, "lib", "quarkus-run.jar"));
}

function assertServerFolder(dir: string, version: string): void {
  if (!isServerFolder(dir)) throw new DistributionError(`${dir} is not an unpacked Keycloak server (no bin/kc.sh).`);
  const found = existsSync(join(dir, "version.txt")) ? readFileSync(join(dir, "version.txt"), "utf8") : "";
  if (!found.includes(version)) {
    throw new DistributionError(`${dir} is not Keycloak ${version} (version.txt says ${found.trim() || "nothing"}).`);
  }
}

async function fetchWithMaven(version: string, outDir: string, say: Say): Promise<boolean> {
  const probe = spawnSync("mvn", ["-v"], { encoding: "utf8" });
  if (probe.status !== 0) {
    say("Maven is not installed; using Keycloak's release download instead.");
    return false;
  }
  say(`fetching Keycloak ${version} (about 180 MB) with Maven: org.keycloak:keycloak-quarkus-dist:${version}:zip ...`);
  const started = Date.now();
  const ticker = setInterval(() => say(`  still downloading (${Math.round((Date.now() - started) / 1000)} s)`), 10_000);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      "mvn",
      [
        "-B",
        "-q",
        "dependency:copy",
        `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:zip`,
        `-DoutputDirectory=${outDir}`,
        "-Dmdep.useBaseVersion=true",
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    child.on("exit", (status) => resolve(status ?? 1));
    child.on("error", () => resolve(1));
  });
  clearInterval(ticker);
  if (code !== 0) {
    say(`Maven could not fetch Keycloak (exit ${code}); trying the release download.`);
    return false;
  }
  say(`Keycloak ${version} fetched in ${Math.round((Date.now() - started) / 1000)} s.`);
  return true;
}

async function fetchRelease(version: string, zip: string, say: Say, downloadUrl: string | undefined): Promise<void> {
  const url = downloadUrl ?? `https://github.com/keycloak/keycloak/releases/download/${version}/keycloak-${version}.zip`;
  say(`downloading ${url} ...`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DistributionError(
      `Could not download Keycloak ${version} (${(error as Error).message}).\n` +
        `  Download the Keycloak ${version} server zip yourself and run again with KEYCLOAK_DIST=/path/to/keycloak-${version}.zip`,
    );
  }
  if (!response.ok || !response.body) {
    throw new DistributionError(`Download of Keycloak ${version} failed with HTTP ${response.status}; set KEYCLOAK_DIST to a zip you have.`);
  }
  const total = Number(response.headers.get("content-length") ?? 0);
  let received = 0;
  let lastReport = Date.now();
  const partial = `${zip}.part`;
  const counted = Readable.fromWeb(response.body as never).on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (Date.now() - lastReport > 3_000) {
      lastReport = Date.now();
      say(`  ${Math.round(received / 1e6)} MB${total ? ` of ${Math.round(total / 1e6)} MB` : ""}`);
    }
  });
  await pipeline(counted, createWriteStream(partial));
  renameSync(partial, zip);
}

function unpack(zip: string, target: string, options: { cacheDir: string; java: JavaRuntime; say: Say }): void {
  options.say(`unpacking ${zip} ...`);
  const work = join(options.cacheDir, `.unpack-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // `unzip` is not on every machine; the JDK's `jar` tool always is.
  const unzip = spawnSync("unzip", ["-q", zip, "-d", work], { stdio: "inherit" });
  if (unzip.error || unzip.status !== 0) {
    const jar = options.java.home ? join(options.java.home, "bin", "jar") : "jar";
    const viaJar = spawnSync(jar, ["xf", zip], { cwd: work, stdio: "inherit" });
    if (viaJar.error || viaJar.status !== 0) throw new DistributionError(`Could not unpack ${zip}: install unzip.`);
  }
  const top = readdirSync(work).find((entry) => entry.startsWith("keycloak-"));
  if (!top) throw new DistributionError(`${zip} holds no keycloak-* folder.`);
  for (const script of readdirSync(join(work, top, "bin"))) {
    if (script.endsWith(".sh")) chmodSync(join(work, top, "bin", script), 0o755);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(join(work, top), target);
  rmSync(work, { recursive: true, force: true });
}
