// The one Maven command line that builds keycloak/extensions, for the stack
// and for keycloak/Dockerfile (a unit test holds the Dockerfile to it). The
// build itself is described by keycloak/extensions/pom.xml.
import { spawnSync } from "node:child_process";

export interface MavenPackageOptions {
  /** The parent pom: keycloak/extensions/pom.xml or a copy of that folder. */
  pom: string;
  /** toolchain.json's keycloak: the pom has no version of its own. */
  keycloakVersion: string;
  /** The server's lib/lib/main: Keycloak's own jars, installed into the local repository first (see the pom). */
  keycloakLib: string;
  /** Maven's -o: resolve from the local repository only. */
  offline?: boolean;
}

export function mavenPackageArgs(options: MavenPackageOptions): string[] {
  return [
    "-B",
    "-q",
    ...(options.offline ? ["-o"] : []),
    "-f",
    options.pom,
    `-Dkeycloak.version=${options.keycloakVersion}`,
    `-Dkeycloak.lib=${options.keycloakLib}`,
    "package",
  ];
}

/**
 * Whether an offline run failed for want of something not yet in the local
 * repository (the first build on a machine, or a new Keycloak version), as
 * opposed to a compile error that an online run would only repeat.
 */
export function failedForOfflineMode(output: string): boolean {
  return /offline mode|has not been downloaded from it before/i.test(output);
}

export function mavenInstalled(): boolean {
  const probe = spawnSync("mvn", ["-v"], { encoding: "utf8", timeout: 60_000 });
  return !probe.error && probe.status === 0;
}

/**
 * Why no Maven Wrapper: the wrapper's properties file must name the URL it
 * downloads Maven from, and Maven is one package away on every machine this
 * repository targets.
 */
export const MISSING_MAVEN_MESSAGE =
  "Maven (`mvn`, 3.6.3 or newer) builds our Keycloak extensions (keycloak/extensions/pom.xml) and was not found on PATH. " +
  "Install it: Debian/Ubuntu `apt-get install maven`, macOS `brew install maven`, elsewhere Apache Maven's binary distribution.";
