// Finds a JDK that Keycloak supports (17, 21 or 25; the newest wins, as
// Keycloak's supported-configurations guide recommends the latest LTS). A JDK
// beats a newer runtime-only Java (JRE): Maven then builds our Keycloak
// extensions with the same Java that runs them (extension-build.ts).
// KEYCLOAK_JAVA_HOME, when set, is taken as is (both read in stack-env-input.ts).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface JavaRuntime {
  home: string | undefined;
  bin: string;
  major: number;
}

export const MIN_JAVA = 17;

function javaMajor(bin: string): number | undefined {
  const result = spawnSync(bin, ["-version"], { encoding: "utf8", timeout: 15_000 });
  if (result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  // Java 8 and older report "1.8"; anything that old is rejected anyway.
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

export function findJava(settings: { keycloakJavaHome?: string; javaHome?: string }): JavaRuntime | undefined {
  const explicit = settings.keycloakJavaHome;
  if (explicit) {
    const bin = join(explicit, "bin", "java");
    const major = existsSync(bin) ? javaMajor(bin) : undefined;
    return major === undefined ? undefined : { home: explicit, bin, major };
  }
  const candidates: (string | undefined)[] = [settings.javaHome];
  for (const root of ["/usr/lib/jvm", "/opt/java", "/usr/java", "/Library/Java/JavaVirtualMachines"]) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) {
      candidates.push(join(root, entry), join(root, entry, "Contents", "Home"));
    }
  }
  let best: JavaRuntime | undefined;
  let bestJdk: JavaRuntime | undefined;
  for (const home of new Set(candidates)) {
    if (!home) continue;
    const bin = join(home, "bin", "java");
    if (!existsSync(bin)) continue;
    const major = javaMajor(bin);
    if (major === undefined || major < MIN_JAVA) continue;
    if (!best || major > best.major) best = { home, bin, major };
    if (existsSync(join(home, "bin", "javac")) && (!bestJdk || major > bestJdk.major)) bestJdk = { home, bin, major };
  }
  if (bestJdk ?? best) return bestJdk ?? best;
  const onPath = javaMajor("java");
  return onPath !== undefined && onPath >= MIN_JAVA ? { home: undefined, bin: "java", major: onPath } : undefined;
}
