import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jdkTools, jdkToolsIn, missingJdkMessage } from "./jdk-tools.ts";

const scratch = mkdtempSync(join(tmpdir(), "jdk-tools-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function javaHome(label: string, tools: string[]): string {
  const home = join(scratch, label);
  mkdirSync(join(home, "bin"), { recursive: true });
  for (const tool of ["java", ...tools]) {
    writeFileSync(join(home, "bin", tool), "#!/bin/sh\nexit 0\n");
    chmodSync(join(home, "bin", tool), 0o755);
  }
  return home;
}

describe("JDK tools", () => {
  it("finds javac and jar next to a JDK's java", () => {
    const home = javaHome("jdk", ["javac", "jar"]);
    expect(jdkToolsIn(home)).toEqual({ javac: join(home, "bin", "javac"), jar: join(home, "bin", "jar") });
    expect(jdkTools({ home, bin: join(home, "bin", "java"), major: 21 })).toEqual(jdkToolsIn(home));
  });

  it("finds nothing in a runtime-only Java (a JRE), nor with javac alone", () => {
    expect(jdkToolsIn(javaHome("jre", []))).toBeUndefined();
    expect(jdkToolsIn(javaHome("half", ["javac"]))).toBeUndefined();
  });

  it("says what to install for a JRE: the matching JDK package, or KEYCLOAK_JAVA_HOME", () => {
    const home = javaHome("jre-17", []);
    const message = missingJdkMessage({ home, bin: join(home, "bin", "java"), major: 17 });
    expect(message).toContain(home);
    expect(message).toContain("apt-get install openjdk-17-jdk-headless");
    expect(message).toContain("KEYCLOAK_JAVA_HOME");
    expect(message).toContain("javac");
  });
});
