import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BuiltExtension } from "./extension-build.ts";
import { installProviders, providersFingerprint } from "./keycloak-providers.ts";

const scratch = mkdtempSync(join(tmpdir(), "keycloak-providers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A "cached jar" with a whole-second timestamp, as extension-build.ts leaves it. */
function cachedJar(content: string, seconds = 1_700_000_000): BuiltExtension {
  const jarPath = join(scratch, "cache", `jar-${++counter}.jar`);
  mkdirSync(join(scratch, "cache"), { recursive: true });
  writeFileSync(jarPath, content);
  utimesSync(jarPath, seconds, seconds);
  return { name: "disabled-user-logout", jarPath, providerFileName: "disabled-user-logout.jar" };
}

function serverFolder(label: string, shipped: string[] = []): { home: string; distribution: string } {
  const distribution = join(scratch, label, "dist");
  const home = join(scratch, label, "home");
  mkdirSync(join(distribution, "providers"), { recursive: true });
  writeFileSync(join(distribution, "providers", "README.md"), "drop jars here");
  for (const name of shipped) writeFileSync(join(distribution, "providers", name), "theirs");
  mkdirSync(join(home, "providers"), { recursive: true });
  for (const name of ["README.md", ...shipped]) writeFileSync(join(home, "providers", name), readFileSync(join(distribution, "providers", name)));
  return { home, distribution };
}

describe("installing provider jars into a server folder", () => {
  it("copies the jar under its provider name with the cached jar's timestamp (Keycloak compares name and time)", () => {
    const { home, distribution } = serverFolder("copy");
    const jar = cachedJar("v1");
    installProviders(home, [jar], distribution);
    const installed = join(home, "providers", "disabled-user-logout.jar");
    expect(readFileSync(installed, "utf8")).toBe("v1");
    expect(statSync(installed).mtimeMs).toBe(statSync(jar.jarPath).mtimeMs);
    expect(readdirSync(join(home, "providers")).sort()).toEqual(["README.md", "disabled-user-logout.jar"]);
  });

  it("leaves an unchanged jar untouched, and replaces a changed one", () => {
    const { home, distribution } = serverFolder("unchanged");
    const jar = cachedJar("v1");
    installProviders(home, [jar], distribution);
    const installed = join(home, "providers", "disabled-user-logout.jar");
    const before = statSync(installed);
    installProviders(home, [jar], distribution);
    expect(statSync(installed).ino).toBe(before.ino);

    const newer = cachedJar("v2", 1_700_000_100);
    installProviders(home, [newer], distribution);
    expect(readFileSync(installed, "utf8")).toBe("v2");
    expect(statSync(installed).mtimeMs).toBe(1_700_000_100_000);
  });

  it("removes jars of extensions that are gone, but keeps what the distribution itself ships", () => {
    const { home, distribution } = serverFolder("stale", ["vendor.jar"]);
    writeFileSync(join(home, "providers", "removed-extension.jar"), "old");
    installProviders(home, [cachedJar("v1")], distribution);
    expect(readdirSync(join(home, "providers")).sort()).toEqual(["README.md", "disabled-user-logout.jar", "vendor.jar"]);
    installProviders(home, [], distribution);
    expect(existsSync(join(home, "providers", "disabled-user-logout.jar"))).toBe(false);
    expect(existsSync(join(home, "providers", "vendor.jar"))).toBe(true);
  });
});

describe("the providers' fingerprint (part of the Quarkus build cache key)", () => {
  it("is empty without jars, so a server without providers keeps its old build cache", () => {
    const { home } = serverFolder("empty");
    expect(providersFingerprint(home)).toBe("");
  });

  it("is the same for two server folders with the same jar, and differs by content or timestamp", () => {
    const jar = cachedJar("v1");
    const a = serverFolder("fp-a");
    const b = serverFolder("fp-b");
    installProviders(a.home, [jar], a.distribution);
    installProviders(b.home, [jar], b.distribution);
    expect(providersFingerprint(a.home)).toMatch(/^[0-9a-f]{64}$/);
    expect(providersFingerprint(a.home)).toBe(providersFingerprint(b.home));

    const c = serverFolder("fp-c");
    installProviders(c.home, [cachedJar("v2")], c.distribution);
    expect(providersFingerprint(c.home)).not.toBe(providersFingerprint(a.home));

    // Same bytes, another timestamp: Keycloak would re-run its build, so the cache must not match.
    const d = serverFolder("fp-d");
    installProviders(d.home, [cachedJar("v1", 1_700_000_500)], d.distribution);
    expect(providersFingerprint(d.home)).not.toBe(providersFingerprint(a.home));
  });
});
