// The images the containers runtime starts. Keycloak and MailDev follow the
// versions the native mode pins (toolchain.json, stack/package.json), so both
// runtimes run the same servers; PostgreSQL and Redis follow docker-compose.yml
// (a unit test compares the two). Docker Hub short names only: where images
// come from is the engine's business (a mirror is configured there, or with
// TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sourceFiles } from "../keycloak/extension-sources.ts";
import { pinnedKeycloakVersion } from "../keycloak/obtain-distribution.ts";
import { repoRoot } from "../stack-config.ts";
import type { ImageBuildSpec } from "./container-spec.ts";

export const POSTGRES_IMAGE = "postgres:17-alpine";
export const REDIS_IMAGE = "redis:7-alpine";
/** docker-compose.yml's load balancer: the branch Debian 12 ships (the native topology runs that one). */
export const HAPROXY_IMAGE = "haproxy:2.6-alpine";

export function keycloakImage(): string {
  return `keycloak/keycloak:${pinnedKeycloakVersion()}`;
}

/** keycloak/Dockerfile's context: the official image plus our providers (keycloak/extensions). */
export const KEYCLOAK_BUILD_CONTEXT = join(repoRoot, "keycloak");

/**
 * The Keycloak image the containers runtime runs: built from keycloak/Dockerfile
 * on the official image at toolchain.json's version, the same build
 * docker-compose.yml uses, so the provider jars are in it and no JDK is needed
 * on this machine. The local tag names the version and a hash of the Dockerfile
 * and the extensions' sources.
 */
export function keycloakImageBuild(context: string = KEYCLOAK_BUILD_CONTEXT): { image: string; build: ImageBuildSpec } {
  const version = pinnedKeycloakVersion();
  const hash = createHash("sha256");
  for (const file of ["Dockerfile", ...sourceFiles(join(context, "extensions")).map((file) => `extensions/${file}`)]) {
    hash.update(`${file}\0`).update(readFileSync(join(context, file))).update("\0");
  }
  return {
    image: `kc-next-strapi-keycloak:${version}-${hash.digest("hex").slice(0, 12)}`,
    build: { context, dockerfile: "Dockerfile", args: { KEYCLOAK_VERSION: version } },
  };
}

/** MailDev's image at the version of the `maildev` package the native mode runs (its HTTP API changed in 3.0). */
export function maildevImage(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "stack", "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const version = manifest.dependencies.maildev;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new TypeError(`stack/package.json must pin maildev to an exact version (got ${version ?? "nothing"})`);
  }
  return `maildev/maildev:${version}`;
}
