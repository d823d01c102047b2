// The sources of our Keycloak extensions: keycloak/extensions/pom.xml (the
// parent, one <module> per extension folder) and each folder's pom.xml and
// src/. Their hash plus the Keycloak version is the build's cache key, so a
// warm start whose sources did not change runs no Maven at all.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { repoRoot } from "../stack-config.ts";

export const extensionsDir = join(repoRoot, "keycloak", "extensions");

/** Maven's output folders: never part of the sources. */
const BUILD_OUTPUT = "target";

/** Every file under `dir` but Maven's target/ folders: relative, sorted, with forward slashes. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== BUILD_OUTPUT) walk(path);
      } else if (entry.isFile()) out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The <module> entries of the parent pom: one extension folder each, whose jar is <module>/target/<module>.jar. */
export function extensionModules(dir: string = extensionsDir): string[] {
  const pom = join(dir, "pom.xml");
  if (!existsSync(pom)) return [];
  const withoutComments = readFileSync(pom, "utf8").replace(/<!--[\s\S]*?-->/g, "");
  return [...withoutComments.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((match) => match[1]!);
}

/** Folders with a pom.xml of their own: each must be a module of the parent, or Maven never builds it. */
export function extensionFolders(dir: string = extensionsDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "pom.xml")))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Names and contents of every source file (the poms included) and the
 * Keycloak version compiled against: what decides the jars' bytes.
 */
export function extensionsKey(dir: string, keycloakVersion: string): string {
  const hash = createHash("sha256");
  hash.update(`keycloak ${keycloakVersion}\0`);
  for (const file of sourceFiles(dir)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(dir, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}
