// The JDK's compiler and archiver next to the Java that runs Keycloak. Our
// Keycloak extensions (keycloak/extensions/) are compiled at start with them,
// so a Java runtime alone (a JRE: `java` without `javac` and `jar`) is not
// enough: the check says what to install instead of failing in the middle.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { JavaRuntime } from "./find-java.ts";

export interface JdkTools {
  javac: string;
  jar: string;
}

/** `javac` and `jar` of a Java home, if it is a JDK. */
export function jdkToolsIn(home: string): JdkTools | undefined {
  const javac = join(home, "bin", "javac");
  const jar = join(home, "bin", "jar");
  return existsSync(javac) && existsSync(jar) ? { javac, jar } : undefined;
}

/**
 * The tools belonging to `java`: from its home, or, for a `java` found on PATH
 * (no home known), `javac` and `jar` on PATH when they answer.
 */
export function jdkTools(java: JavaRuntime): JdkTools | undefined {
  if (java.home) return jdkToolsIn(java.home);
  const answers = (tool: string) => spawnSync(tool, ["--version"], { encoding: "utf8", timeout: 15_000 }).status === 0;
  return answers("javac") && answers("jar") ? { javac: "javac", jar: "jar" } : undefined;
}

/** What to say when the Java found is a runtime only. */
export function missingJdkMessage(java: JavaRuntime): string {
  const where = java.home ?? java.bin;
  // The JRE's own major: its distribution packages the matching JDK.
  return (
    `Java ${java.major} at ${where} is a runtime without javac and jar (a JRE); Keycloak's extensions ` +
    "(keycloak/extensions/) are compiled with the JDK at start. Install a JDK of Java 17, 21 or 25 " +
    `(Debian/Ubuntu: \`apt-get install openjdk-${java.major}-jdk-headless\`; elsewhere e.g. Eclipse Temurin's JDK) ` +
    "or point KEYCLOAK_JAVA_HOME at one."
  );
}
