// A server folder's providers/: our extension jars (the official distribution
// ships the folder with a README only), and a fingerprint of them for the
// Quarkus build cache. Keycloak bakes providers into its build (lib/quarkus)
// and re-runs the build when a provider jar's name or modification time
// differs from the one recorded there, so a cached build may only be reused
// with the very same jars, timestamps included.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import type { BuiltExtension } from "./extension-build.ts";

function providersDir(home: string): string {
  return join(home, "providers");
}

const jarsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".jar")).sort() : []);

/**
 * Makes `home/providers` hold these jars plus whatever the distribution itself
 * ships there (a KEYCLOAK_DIST folder may have its own); an unchanged jar is
 * left alone, so Keycloak does not rebuild.
 */
export function installProviders(home: string, extensions: BuiltExtension[], distribution: string): void {
  const dir = providersDir(home);
  mkdirSync(dir, { recursive: true });
  const wanted = new Map(extensions.map((extension) => [extension.providerFileName, extension.jarPath]));
  const shipped = new Set(jarsIn(providersDir(distribution)));
  // A jar of an extension that is gone from the repository would stay active.
  for (const name of jarsIn(dir)) if (!wanted.has(name) && !shipped.has(name)) rmSync(join(dir, name), { force: true });
  for (const [name, source] of wanted) {
    const target = join(dir, name);
    const from = statSync(source);
    if (existsSync(target)) {
      const to = statSync(target);
      if (to.mtimeMs === from.mtimeMs && readFileSync(target).equals(readFileSync(source))) continue;
    }
    const temporary = `${target}.${process.pid}.tmp`;
    copyFileSync(source, temporary);
    // The cached jar's timestamp (whole seconds), so every server folder
    // records the same one and can share a build made with it.
    utimesSync(temporary, from.atime, from.mtime);
    renameSync(temporary, target);
  }
}

/** Names, contents and timestamps of the jars in `home/providers`; "" when there are none. */
export function providersFingerprint(home: string): string {
  const dir = providersDir(home);
  const jars = jarsIn(dir);
  if (jars.length === 0) return "";
  const hash = createHash("sha256");
  for (const name of jars) {
    const path = join(dir, name);
    // Keycloak compares File.lastModified(), in milliseconds.
    hash.update(`${name}\0${Math.floor(statSync(path).mtimeMs)}\0`);
    hash.update(readFileSync(path));
    hash.update("\0");
  }
  return hash.digest("hex");
}
