// The stack's parts as testcontainers containers (STACK_RUNTIME=containers): a
// thin mapping from the same StackConfig the native runner uses to
// testcontainers' GenericContainer. Nothing here starts anything; building a
// GenericContainer contacts no engine (container-runtime.ts starts them), so the
// mapping is unit-tested on any machine.
//
// Keycloak and MailDev listen inside their containers on the very ports the
// stack config names, published one to one: Keycloak calls itself through its
// public URL (the dev overlay's mock Google and GitHub realms live on the same
// server), and inside the container `localhost:<port>` must then be Keycloak.
// Strapi and the web app stay native processes (the code under test); the
// containers reach them, and the mail catcher, through the host gateway.
//
// Images: Docker Hub short names only (where images come from is the engine's
// business). Keycloak and MailDev follow the versions the native mode pins
// (toolchain.json, stack/package.json); PostgreSQL and Redis follow
// docker-compose.yml (docker-compose.unit.test.ts compares them).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GenericContainer, Wait } from "testcontainers";
import { sourceFiles } from "../keycloak/extension-sources.ts";
import { KEYCLOAK_FEATURES, realmFile, realmImportEnv, ssfTransmitterOptions, themesDir } from "../keycloak/keycloak-server.ts";
import { pinnedKeycloakVersion } from "../keycloak/obtain-distribution.ts";
import { repoRoot, type StackConfig } from "../stack-config.ts";
import { keycloakContainerDataDir } from "./container-runtime.ts";

export const POSTGRES_IMAGE = "postgres:17-alpine";
export const REDIS_IMAGE = "redis:7-alpine";
/** docker-compose.yml's load balancer: the branch Debian 12 ships (the native topology runs that one). */
export const HAPROXY_IMAGE = "haproxy:2.6-alpine";
export const POSTGRES_PORT = 5432;
export const POSTGRES_SUPERUSER = "postgres";
export const REDIS_PORT = 6379;

const HOST_FROM_CONTAINER = "host.docker.internal";
// `host-gateway` makes the name resolve on Linux engines too (Docker Desktop defines it anyway).
const HOST_GATEWAY = { host: HOST_FROM_CONTAINER, ipAddress: "host-gateway" };
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** A URL on this machine as a container sees it: loopback host names become the host gateway. */
export function urlFromContainer(url: string): string {
  const parsed = new URL(url);
  if (!LOOPBACK.has(parsed.hostname)) return url;
  parsed.hostname = HOST_FROM_CONTAINER;
  // URL keeps a trailing "/" on bare origins; the callers pass bare origins.
  return url.endsWith("/") ? parsed.href : parsed.href.replace(/\/$/, "");
}

/** A host name of this machine as a container sees it. */
export function hostFromContainer(host: string): string {
  return LOOPBACK.has(host) ? HOST_FROM_CONTAINER : host;
}

/** keycloak/Dockerfile's context: the official image plus our providers (keycloak/extensions). */
const KEYCLOAK_BUILD_CONTEXT = join(repoRoot, "keycloak");

/**
 * The Keycloak image: built from keycloak/Dockerfile on the official image at
 * toolchain.json's version (the build docker-compose.yml uses), so the provider
 * jars are in it and no JDK is needed on this machine. Built, not pulled as is:
 * the realm lists our event listener, which the official image lacks. The local
 * tag names the version and a hash of the Dockerfile and the extensions' sources.
 */
export function keycloakImageBuild(context: string = KEYCLOAK_BUILD_CONTEXT): { image: string; context: string; args: { KEYCLOAK_VERSION: string } } {
  const version = pinnedKeycloakVersion();
  const hash = createHash("sha256");
  for (const file of ["Dockerfile", ...sourceFiles(join(context, "extensions")).map((file) => `extensions/${file}`)]) {
    hash.update(`${file}\0`).update(readFileSync(join(context, file))).update("\0");
  }
  return { image: `kc-next-strapi-keycloak:${version}-${hash.digest("hex").slice(0, 12)}`, context, args: { KEYCLOAK_VERSION: version } };
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

const KEYCLOAK_HOME = "/opt/keycloak";

/**
 * Keycloak as the native runner starts it (keycloak-server.ts): `start-dev` on
 * the dev-file database, or `start` on PostgreSQL for the production topology;
 * hostname pinned; health on the management port; the realm imported with the
 * same placeholder variables. `user` (`uid:0`) owns the stack's state folder.
 */
export function keycloakContainer(config: StackConfig, user: string): GenericContainer {
  const importEnv = realmImportEnv(config);
  const env: Record<string, string> = {
    ...importEnv,
    // Keycloak calls the web app's back-channel logout and the mail catcher on
    // this machine, not inside its container.
    WEB_INTERNAL_URL: urlFromContainer(importEnv.WEB_INTERNAL_URL ?? config.webUrl),
    SMTP_HOST: hostFromContainer(importEnv.SMTP_HOST ?? "localhost"),
    KC_BOOTSTRAP_ADMIN_USERNAME: config.admin.user,
    KC_BOOTSTRAP_ADMIN_PASSWORD: config.admin.password,
    // The same heap as natively: predictable on two cores, enough for import plus tests.
    JAVA_OPTS_KC_HEAP: "-Xms256m -Xmx768m",
  };
  const mounts: { source: string; target: string; mode: "ro" | "rw" }[] = [
    { source: realmFile, target: `${KEYCLOAK_HOME}/data/import/app-realm.json`, mode: "ro" },
    ...themes().map((theme) => ({ source: join(themesDir, theme), target: `${KEYCLOAK_HOME}/themes/${theme}`, mode: "ro" as const })),
  ];
  // The same build options as the native runner: they decide what Keycloak's build step bakes in.
  const command = config.production
    ? ["start", "--db=postgres", "--health-enabled=true", "--cache=local", KEYCLOAK_FEATURES]
    : ["start-dev", "--health-enabled=true", KEYCLOAK_FEATURES];
  const container = new GenericContainer(keycloakImageBuild().image);
  if (config.production) {
    const p = config.production;
    // Credentials through the environment, not the command line (docker inspect and ps show arguments).
    env.KC_DB_USERNAME = p.keycloakDatabase;
    env.KC_DB_PASSWORD = config.secrets.keycloakDbPassword;
    command.push(`--db-url=jdbc:postgresql://${hostFromContainer(p.postgresHost)}:${p.postgresPort}/${p.keycloakDatabase}`, "--http-enabled=true");
  } else {
    // The dev-file database on this machine, like the native server folder, so
    // users and sessions survive a restart of the part. The image's files
    // belong to group 0 and are group-writable; running as this machine's user
    // in group 0 lets Keycloak write both its own folders and the mount.
    mounts.push({ source: keycloakContainerDataDir(config), target: `${KEYCLOAK_HOME}/data/h2`, mode: "rw" });
    container.withUser(user);
  }
  command.push(
    ...ssfTransmitterOptions(config),
    `--http-port=${config.ports.keycloak}`,
    `--http-management-port=${config.ports.keycloakManagement}`,
    `--hostname=${config.keycloakUrl}`,
    "--import-realm",
  );
  return part(container, "keycloak")
    .withCommand(command)
    .withEnvironment(env)
    .withExposedPorts(...[config.ports.keycloak, config.ports.keycloakManagement].map((port) => ({ container: port, host: port })))
    .withBindMounts(mounts)
    .withExtraHosts([HOST_GATEWAY])
    .withWaitStrategy(Wait.forHttp("/health/ready", config.ports.keycloakManagement).forStatusCode(200))
    // First start builds Keycloak and imports the realm; same budget as natively.
    .withStartupTimeout(240_000);
}

/** The mail catcher at the version the native runner starts (parts/mail-catcher.ts), on the same ports. */
export function mailContainer(config: StackConfig, user: string): GenericContainer {
  // Settings through MailDev's own variables rather than flags: the image's
  // HEALTHCHECK reads MAILDEV_WEB_PORT, so it probes the port actually used.
  const env: Record<string, string> = {
    MAILDEV_SMTP_PORT: String(config.ports.smtp),
    MAILDEV_WEB_PORT: String(config.ports.mailUi),
    // Inside a container the loopback address would be unreachable from the host.
    MAILDEV_IP: "0.0.0.0",
    MAILDEV_WEB_IP: "0.0.0.0",
    // Bounded: a long-running dev stack must not grow without limit.
    MAILDEV_MAX_EMAILS: "500",
  };
  const container = new GenericContainer(maildevImage());
  // Dev keeps its inbox across restarts; a test run starts with an empty one.
  if (config.profile === "dev") {
    env.MAILDEV_MAIL_DIRECTORY = "/mail";
    container.withBindMounts([{ source: join(config.stateDir, "mail"), target: "/mail", mode: "rw" }]).withUser(user);
  }
  return part(container, "mail")
    .withEnvironment(env)
    .withExposedPorts(...[config.ports.smtp, config.ports.mailUi].map((port) => ({ container: port, host: port })))
    .withWaitStrategy(Wait.forHttp("/api/healthz", config.ports.mailUi).forStatusCode(200))
    .withStartupTimeout(30_000);
}

/**
 * PostgreSQL for the production topology: a throw-away server per stack (no
 * volume) on a port the engine picks (the machine may run its own on 5432).
 * The stack then creates its roles and databases as natively (parts/postgres-databases.ts).
 */
export function postgresContainer(superuserPassword: string): GenericContainer {
  return part(new GenericContainer(POSTGRES_IMAGE), "postgres")
    .withEnvironment({ POSTGRES_USER: POSTGRES_SUPERUSER, POSTGRES_PASSWORD: superuserPassword, POSTGRES_DB: "postgres" })
    .withExposedPorts(POSTGRES_PORT)
    // Over TCP, as in docker-compose.yml: during first-start initialisation the
    // server listens on its Unix socket only, and a socket check passes too early.
    .withHealthCheck({ test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", POSTGRES_SUPERUSER, "-d", "postgres"], interval: 1_000, timeout: 3_000, retries: 60, startPeriod: 2_000 })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(90_000);
}

/** Redis for the production topology (the web instances' shared token store): throw-away, nothing persisted. */
export function redisContainer(): GenericContainer {
  return part(new GenericContainer(REDIS_IMAGE), "redis")
    .withCommand(["redis-server", "--save", "", "--appendonly", "no"])
    .withExposedPorts(REDIS_PORT)
    .withHealthCheck({ test: ["CMD", "redis-cli", "ping"], interval: 1_000, timeout: 3_000, retries: 30, startPeriod: 1_000 })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(60_000);
}

/** The label that names the part, so `docker ps` shows which stack part a container is. */
function part(container: GenericContainer, name: string): GenericContainer {
  return container.withLabels({ "org.kc-next-strapi.part": name });
}

function themes(): string[] {
  if (!existsSync(themesDir)) return [];
  return readdirSync(themesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
