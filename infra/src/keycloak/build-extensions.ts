// Builds our Keycloak extensions (keycloak/extensions/*) into provider jars
// with the JDK alone (no Maven: a fresh machine may have only Java), cached in
// the stack's cache folder by a hash of the sources and the Keycloak version,
// so a warm start compiles nothing. The jars go into each server folder's
// providers/ (keycloak-providers.ts) before Keycloak starts.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "../stack-config.ts";
import { extensionJarPlan, listExtensions, type ExtensionJarPlan } from "./extension-jar.ts";
import type { JavaRuntime } from "./find-java.ts";
import { jdkTools, missingJdkMessage } from "./jdk-tools.ts";
import { pinnedKeycloakVersion } from "./obtain-distribution.ts";

export const extensionsDir = join(repoRoot, "keycloak", "extensions");

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

export function buildExtensions(options: {
  cacheDir: string;
  distribution: string;
  java: JavaRuntime;
  say: (line: string) => void;
  /** Defaults to keycloak/extensions. */
  extensionsDir?: string;
}): BuiltExtension[] {
  const sources = listExtensions(options.extensionsDir ?? extensionsDir);
  if (sources.length === 0) return [];
  const tools = jdkTools(options.java);
  if (!tools) throw new ExtensionBuildError(missingJdkMessage(options.java));
  return sources.map((source) => {
    const workDir = join(options.cacheDir, "keycloak-extensions", `.build-${source.name}-${process.pid}`);
    const plan = extensionJarPlan({ source, keycloakVersion: pinnedKeycloakVersion(), distribution: options.distribution, cacheDir: options.cacheDir, workDir, tools });
    if (!existsSync(plan.jarPath)) {
      options.say(`compiling Keycloak extension ${source.name} (keycloak/extensions/${source.name}) ...`);
      buildJar(plan, workDir);
    }
    return { name: plan.name, jarPath: plan.jarPath, providerFileName: plan.providerFileName };
  });
}

function buildJar(plan: ExtensionJarPlan, workDir: string): void {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(plan.classesDir, { recursive: true });
  try {
    run(plan.javac, `javac could not compile ${plan.name}`);
    // META-INF/services/... registers the provider factory with Keycloak.
    if (plan.resourcesDir) cpSync(plan.resourcesDir, plan.classesDir, { recursive: true });
    run(plan.jar, `jar could not package ${plan.name}`);
    const built = join(workDir, "extension.jar");
    // Keycloak notices a changed provider by its file name and modification
    // time (and then re-runs its build). Whole seconds survive every copy
    // exactly, so a server folder's copy keeps the cached jar's timestamp.
    const seconds = Math.floor(Date.now() / 1000);
    utimesSync(built, seconds, seconds);
    mkdirSync(dirname(plan.jarPath), { recursive: true });
    // Another stack may have finished the same jar meanwhile: keep the first.
    if (!existsSync(plan.jarPath)) renameSync(built, plan.jarPath);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function run(step: { command: string; args: string[] }, failure: string): void {
  const result = spawnSync(step.command, step.args, { encoding: "utf8", timeout: 180_000 });
  if (result.error) throw new ExtensionBuildError(`${failure}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
    throw new ExtensionBuildError(`${failure} (exit ${result.status}):\n${output}`);
  }
}
