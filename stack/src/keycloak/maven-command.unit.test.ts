import { describe, expect, it } from "vitest";
import { failedForOfflineMode, mavenPackageArgs, MISSING_MAVEN_MESSAGE } from "./maven-command.ts";

describe("the Maven command line", () => {
  const options = { pom: "/scratch/sources/pom.xml", keycloakVersion: "26.7.5", keycloakLib: "/kc/lib/lib/main" };

  it("packages the parent pom in batch mode, quietly, with the pinned version and the server's jars", () => {
    expect(mavenPackageArgs(options)).toEqual([
      "-B",
      "-q",
      "-f",
      "/scratch/sources/pom.xml",
      "-Dkeycloak.version=26.7.5",
      "-Dkeycloak.lib=/kc/lib/lib/main",
      "package",
    ]);
  });

  it("adds -o for an offline run, and nothing else changes", () => {
    const offline = mavenPackageArgs({ ...options, offline: true });
    expect(offline).toContain("-o");
    expect(offline.filter((arg) => arg !== "-o")).toEqual(mavenPackageArgs(options));
  });

  it("tells a missing artifact in offline mode from a compile error", () => {
    expect(failedForOfflineMode("[ERROR] Cannot access central (x) in offline mode and the artifact org.keycloak:keycloak-parent:pom:26.7.6 has not been downloaded from it before.")).toBe(true);
    expect(failedForOfflineMode("[ERROR] Plugin org.apache.maven.plugins:maven-compiler-plugin:3.13.0 or one of its dependencies could not be resolved: ... has not been downloaded from it before")).toBe(true);
    expect(failedForOfflineMode("[ERROR] /x/SignOutEverywhere.java:[12,8] cannot find symbol")).toBe(false);
  });

  it("says how to install Maven when it is missing", () => {
    expect(MISSING_MAVEN_MESSAGE).toContain("apt-get install maven");
    expect(MISSING_MAVEN_MESSAGE).toContain("keycloak/extensions/pom.xml");
  });
});
