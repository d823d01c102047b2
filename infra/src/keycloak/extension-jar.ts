// How one Keycloak extension (a folder of keycloak/extensions/ laid out as
// src/main/java + src/main/resources) becomes a provider jar without Maven:
// the JDK's javac against the distribution's own jars, then `jar`. Pure: it
// reads the sources to hash them and returns paths and command lines; running
// them is build-extensions.ts's business. Unit-tested without a JDK.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { delimiter, join, relative, sep } from "node:path";
import type { JdkTools } from "./jdk-tools.ts";

/**
 * The bytecode level: the one Keycloak's own jars are built for (class file
 * version 61 in 26.7), so the jar loads on every Java Keycloak runs on.
 */
export const JAVA_RELEASE = "17";

export interface ExtensionSource {
  /** The folder's name; also the provider jar's file name in providers/. */
  name: string;
  dir: string;
}

export interface ExtensionJarPlan {
  name: string;
  /** Hash of the sources, the Keycloak version and the compiler settings. */
  key: string;
  /** Where the cached jar lives (outside git, under the stack's cache folder). */
  jarPath: string;
  /** The file name it gets in a server folder's providers/. */
  providerFileName: string;
  javaFiles: string[];
  resourcesDir: string | undefined;
  /** javac, then jar; `classesDir` is where javac writes and jar reads. */
  javac: { command: string; args: string[] };
  jar: { command: string; args: string[] };
  classesDir: string;
}

/** Every file under `dir`, relative, sorted, with forward slashes. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Names and contents of every source file plus what else decides the bytes
 * of the jar: the Keycloak version compiled against and the bytecode level.
 */
export function extensionKey(source: ExtensionSource, keycloakVersion: string): string {
  const hash = createHash("sha256");
  hash.update(`keycloak ${keycloakVersion}\0release ${JAVA_RELEASE}\0`);
  for (const file of sourceFiles(source.dir)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(source.dir, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** The extensions of the repository: one folder each under `extensionsDir`. */
export function listExtensions(extensionsDir: string): ExtensionSource[] {
  if (!existsSync(extensionsDir)) return [];
  return readdirSync(extensionsDir)
    .filter((name) => statSync(join(extensionsDir, name)).isDirectory() && existsSync(join(extensionsDir, name, "src", "main", "java")))
    .sort()
    .map((name) => ({ name, dir: join(extensionsDir, name) }));
}

export function extensionJarPlan(options: {
  source: ExtensionSource;
  keycloakVersion: string;
  /** The unpacked Keycloak distribution whose jars are the classpath. */
  distribution: string;
  /** The stack's cache folder (STACK_CACHE_DIR). */
  cacheDir: string;
  /** A scratch folder for classes. */
  workDir: string;
  tools: JdkTools;
}): ExtensionJarPlan {
  const { source, tools } = options;
  const key = extensionKey(source, options.keycloakVersion);
  const javaDir = join(source.dir, "src", "main", "java");
  const resourcesDir = join(source.dir, "src", "main", "resources");
  const javaFiles = sourceFiles(javaDir)
    .filter((file) => file.endsWith(".java"))
    .map((file) => join(javaDir, file));
  const classesDir = join(options.workDir, "classes");
  // Classpath wildcards (`dir/*`) keep the command line short: lib/lib/main
  // holds some 350 jars. lib/lib/boot has jboss-logging.
  const classpath = ["main", "boot"].map((folder) => join(options.distribution, "lib", "lib", folder, "*")).join(delimiter);
  return {
    name: source.name,
    key,
    jarPath: join(options.cacheDir, "keycloak-extensions", `${source.name}-${options.keycloakVersion}-${key}.jar`),
    providerFileName: `${source.name}.jar`,
    javaFiles,
    resourcesDir: existsSync(resourcesDir) ? resourcesDir : undefined,
    classesDir,
    javac: {
      command: tools.javac,
      args: [
        "--release", JAVA_RELEASE,
        "-encoding", "UTF-8",
        // Annotation processors on Keycloak's classpath must not run on our sources.
        "-proc:none",
        "-cp", classpath,
        "-d", classesDir,
        ...javaFiles,
      ],
    },
    jar: {
      command: tools.jar,
      // Written into the scratch folder, then renamed into the cache when complete.
      args: ["--create", "--file", join(options.workDir, "extension.jar"), "-C", classesDir, "."],
    },
  };
}
