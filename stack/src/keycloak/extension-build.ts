// Builds our Keycloak extensions (keycloak/extensions/, a Maven multi-module
// project) into provider jars, cached in the stack's cache folder by a hash
// of the sources and the Keycloak version (extension-sources.ts): a warm start
// runs no Maven. Maven runs on a copy of the sources in a scratch folder, so
// two stacks never share a target/ and the work tree stays clean; offline
// first, online only when the local repository lacks something. The jars go
// into each server folder's providers/ (keycloak-providers.ts).
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, utimesSync } from "node:fs";
import { basename, join } from "node:path";
import { extensionFolders, extensionModules, extensionsDir, extensionsKey } from "./extension-sources.ts";
import type { JavaRuntime } from "./find-java.ts";
import { failedForOfflineMode, mavenInstalled, mavenPackageArgs, MISSING_MAVEN_MESSAGE } from "./maven-command.ts";
import { pinnedKeycloakVersion } from "./obtain-distribution.ts";

export class ExtensionBuildError extends Error {
  readonly code = "ERR_KEYCLOAK_EXTENSION_BUILD";
}

export interface BuiltExtension {
  name: string;
  /** The cached jar. */
  jarPath: string;
  /** Its file name in a server folder's providers/. */
  providerFileName: string;
}

interface Sources {
  dir: string;
  modules: string[];
  /** Where the jars of these very sources are (or will be) cached. */
  cacheFolder: string;
}

function sources(cacheDir: string, dir: string): Sources {
  const modules = extensionModules(dir);
  const unlisted = extensionFolders(dir).filter((folder) => !modules.includes(folder));
  if (unlisted.length > 0) {
    throw new ExtensionBuildError(
      `keycloak/extensions/${unlisted.join(", ")} ${unlisted.length > 1 ? "have" : "has"} a pom.xml but ${unlisted.length > 1 ? "are" : "is"} not a <module> of keycloak/extensions/pom.xml; add ${unlisted.map((name) => `<module>${name}</module>`).join(" ")} there.`,
    );
  }
  const version = pinnedKeycloakVersion();
  return { dir, modules, cacheFolder: join(cacheDir, "keycloak-extensions", `${version}-${extensionsKey(dir, version)}`) };
}

function jarsIn(folder: string, modules: string[]): BuiltExtension[] {
  return modules.map((name) => ({ name, jarPath: join(folder, `${name}.jar`), providerFileName: `${name}.jar` }));
}

function cachedIn({ modules, cacheFolder }: Sources): BuiltExtension[] | undefined {
  const jars = jarsIn(cacheFolder, modules);
  return jars.every((jar) => existsSync(jar.jarPath)) ? jars : undefined;
}

/** The jars of the current sources when they are cached already (so no Maven is needed); [] without extensions. */
export function cachedExtensions(cacheDir: string, dir: string = extensionsDir): BuiltExtension[] | undefined {
  return cachedIn(sources(cacheDir, dir));
}

export function buildExtensions(options: {
  cacheDir: string;
  /** The unpacked Keycloak distribution the jars go into; Maven compiles against its jars. */
  distribution: string;
  java: JavaRuntime;
  say: (line: string) => void;
  /** Defaults to keycloak/extensions. */
  extensionsDir?: string;
  /** The environment Maven inherits (PATH, proxies, MAVEN_OPTS, ...): StackEnvInput.inherited. */
  inherited: Readonly<Record<string, string | undefined>>;
}): BuiltExtension[] {
  const { cacheDir, say } = options;
  const dir = options.extensionsDir ?? extensionsDir;
  const found = sources(cacheDir, dir);
  const { modules, cacheFolder } = found;
  const cached = cachedIn(found);
  if (cached) {
    if (cached.length > 0) say(`Keycloak extensions unchanged (${basename(cacheFolder)}): cached jars, no Maven run`);
    return cached;
  }
  if (!mavenInstalled()) throw new ExtensionBuildError(MISSING_MAVEN_MESSAGE);

  const scratch = join(cacheDir, "keycloak-extensions", `.build-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    cpSync(dir, join(scratch, "sources"), { recursive: true, filter: (source) => basename(source) !== "target" });
    const started = Date.now();
    say(`building Keycloak extensions (${modules.join(", ")}) with Maven ...`);
    const args = { pom: join(scratch, "sources", "pom.xml"), keycloakVersion: pinnedKeycloakVersion(), keycloakLib: join(options.distribution, "lib", "lib", "main") };
    // Maven compiles with the Java that runs Keycloak when that is a JDK.
    const env = { ...options.inherited, ...(options.java.home && existsSync(join(options.java.home, "bin", "javac")) ? { JAVA_HOME: options.java.home } : {}) };
    let run = maven(mavenPackageArgs({ ...args, offline: true }), env);
    if (run.status !== 0 && failedForOfflineMode(run.output)) {
      say("  the local Maven repository lacks some of it; fetching it (once per machine and Keycloak version) ...");
      run = maven(mavenPackageArgs(args), env);
    }
    if (run.status !== 0) {
      const hint = /No compiler is provided/.test(run.output) ? "\nMaven runs on a Java runtime without a compiler: install a JDK or point JAVA_HOME at one." : "";
      throw new ExtensionBuildError(`Maven could not build keycloak/extensions (exit ${run.status}):\n${run.output}${hint}`);
    }
    const out = join(scratch, "jars");
    mkdirSync(out, { recursive: true });
    // Keycloak notices a changed provider by its file name and modification
    // time (and then re-runs its build). Whole seconds survive every copy
    // exactly, so a server folder's copy keeps the cached jar's timestamp.
    const seconds = Math.floor(Date.now() / 1000);
    for (const name of modules) {
      const built = join(scratch, "sources", name, "target", `${name}.jar`);
      if (!existsSync(built)) throw new ExtensionBuildError(`Maven built no ${name}/target/${name}.jar (the module's artifactId must be its folder's name).`);
      copyFileSync(built, join(out, `${name}.jar`));
      utimesSync(join(out, `${name}.jar`), seconds, seconds);
    }
    try {
      renameSync(out, cacheFolder);
    } catch (error) {
      // Another stack finished the same build meanwhile: keep the first.
      if (!existsSync(cacheFolder)) throw error;
    }
    say(`built Keycloak extensions in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return jarsIn(cacheFolder, modules);
}

function maven(args: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync("mvn", args, { encoding: "utf8", env, timeout: 600_000 });
  if (result.error) throw new ExtensionBuildError(`could not run Maven: ${result.error.message}`);
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
  return { status: result.status, output };
}
