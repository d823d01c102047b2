// Starts Keycloak from its distribution: `start-dev` on the dev-file database
// (embedded topology) or `start` on PostgreSQL (production topology). Either
// way the hostname is pinned (otherwise `iss` follows the Host header and a
// server-side call through 127.0.0.1 gets tokens the other parts reject),
// health is on the management port, and the realm is imported from
// keycloak/realm-export.json when it does not exist yet.
//
// Each stack gets its own server folder (a copy of the cached distribution)
// because Keycloak writes its build (and, in dev, its H2 database) inside it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { SupervisedChild } from "../process/child-process.ts";
import { PORT_PREFIX, repoRoot, type KeycloakNode, type StackConfig } from "../stack-config.ts";
import type { BuiltExtension } from "./extension-build.ts";
import type { JavaRuntime } from "./find-java.ts";
import { installProviders, providersFingerprint } from "./keycloak-providers.ts";
import { pinnedKeycloakVersion } from "./obtain-distribution.ts";

export const realmFile = join(repoRoot, "keycloak", "realm-export.json");
export const themesDir = join(repoRoot, "keycloak", "themes");

/** The server folder: one per node in the production topology (each keeps its own build, transaction log and temp files). */
function keycloakHome(config: StackConfig, node?: KeycloakNode): string {
  return join(config.stateDir, node?.name ?? "keycloak");
}

/** The variables that keycloak/realm-export.json's placeholders read at import. */
export function realmImportEnv(config: StackConfig): Record<string, string> {
  return {
    KEYCLOAK_WEB_CLIENT_SECRET: config.secrets.webClientSecret,
    KEYCLOAK_CMS_CLIENT_SECRET: config.secrets.cmsClientSecret,
    KEYCLOAK_PUBLISHER_CLIENT_SECRET: config.secrets.publisherClientSecret,
    KEYCLOAK_SSF_PUSH_URL: ssfPushUrl(config),
    WEB_URL: config.webUrl,
    WEB_INTERNAL_URL: config.webUrl,
    // Passkeys are bound to the host of Keycloak's pages (docs/strong-authentication.md).
    KEYCLOAK_WEBAUTHN_RP_ID: new URL(config.keycloakUrl).hostname,
    // The file's default is `all`, for real deployments behind TLS. Every local
    // stack, the production topology included, serves Keycloak over plain HTTP
    // on loopback (config.bindHost), and `all` would refuse every request
    // there, sign-in and the apps' token calls alike; `external` still
    // requires HTTPS from any address that is not loopback or private.
    KEYCLOAK_SSL_REQUIRED: "external",
    SMTP_HOST: "localhost",
    SMTP_PORT: String(config.ports.smtp),
    SMTP_FROM: "no-reply@example.com",
    SMTP_FROM_DISPLAY_NAME: "Acme",
    SMTP_STARTTLS: "false",
    SMTP_SSL: "false",
    SMTP_AUTH: "false",
  };
}

/**
 * What the realm file's placeholders resolve against: Keycloak's environment,
 * that is `inherited` (what the runner's children inherit, for the native server) plus realmImportEnv.
 */
export function keycloakImportVariables(config: StackConfig, inherited: Readonly<Record<string, string | undefined>> = config.input.inherited): Record<string, string | undefined> {
  return { ...inherited, ...realmImportEnv(config) };
}

/**
 * Where Keycloak's Shared Signals transmitter pushes revocations: Strapi's receiver
 * (apps/cms/src/auth/revocation/). In the production topology that is the cms load
 * balancer: one stream for all instances, which share the revocation table
 * (docs/decisions/0055-one-stream-for-every-cms-instance.md).
 */
export function ssfPushUrl(config: StackConfig): string {
  return config.ssfPushUrl;
}

/**
 * Whether the transmitter may push to a plain-HTTP URL: the dev and test
 * profiles and the production-mode test suite (test-prod), whose push target is
 * loopback. `npm run start:prod` never: its push URL must be https.
 */
function allowsInsecurePushTargets(config: StackConfig): boolean {
  return !config.production || config.profile === "test-prod";
}

/** A line for `npm run start:prod` when its push URL cannot work (plain HTTP); undefined otherwise. */
export function ssfPushNotice(config: StackConfig): string | undefined {
  if (allowsInsecurePushTargets(config) || config.ssfPushUrl.startsWith("https://")) return undefined;
  return `Shared Signals push needs an https push URL outside tests (got ${config.ssfPushUrl}): Keycloak refuses the stream and Strapi stays on introspection. Set ${PORT_PREFIX[config.profile]}SSF_PUSH_URL=https://...`;
}

// `ssf` (OpenID Shared Signals transmitter, experimental in Keycloak 26.7) is a
// build-time feature, like every --features value.
export const KEYCLOAK_FEATURES = "--features=ssf";

// Build-time options: Keycloak re-runs its Quarkus build (about 20 s on two
// cores) whenever these differ from the ones its lib/quarkus was built with.
// The production topology's nodes form one cluster: embedded Infinispan
// (`--cache=ispn`) with `jdbc-ping` discovery, i.e. each node finds the others
// through a table in the shared PostgreSQL database (Keycloak 26's default
// stack, named anyway).
function buildOptions(config: StackConfig): string[] {
  return config.production
    ? ["start", "--db=postgres", "--health-enabled=true", "--cache=ispn", "--cache-stack=jdbc-ping", KEYCLOAK_FEATURES]
    : ["start-dev", "--health-enabled=true", KEYCLOAK_FEATURES, ...(config.profile === "bench" ? BENCH_METRICS : [])];
}

// The bench stack only: Keycloak's Micrometer metrics on the management port
// (/metrics), whose per-URI HTTP server request counters let the bench count
// token introspections at Keycloak (bench/src/keycloak-introspection-counter.ts).
const BENCH_METRICS = ["--metrics-enabled=true"];

/**
 * Runtime options of the Shared Signals transmitter. The outbox drainer pushes
 * every 30 s by default; 500 ms keeps a revocation within a second of the
 * event. `allow-insecure-push-targets` permits a plain-HTTP push URL and also
 * lifts the transmitter's private-host (SSRF) check, leaving only the client's
 * `ssf.validPushUrls`: it is for the loopback dev and test profiles only, the
 * production-mode test suite included. `npm run start:prod` never sets it: there
 * the push URL must be https (until it is, its Strapi stays on introspection:
 * docs/decisions/0052-ssf-push-target-transport.md).
 */
export function ssfTransmitterOptions(config: StackConfig): string[] {
  const options = ["--spi-ssf-transmitter--default--outbox-drainer-interval=500ms"];
  if (allowsInsecurePushTargets(config)) options.push("--spi-ssf-transmitter--default--allow-insecure-push-targets=true");
  return options;
}

// Provider jars are part of the key: Keycloak bakes them into the build and
// re-runs it when they change (keycloak-providers.ts).
function buildCacheDir(config: StackConfig, node?: KeycloakNode): string {
  const providers = providersFingerprint(keycloakHome(config, node));
  const key = createHash("sha256")
    .update(buildOptions(config).join(" ") + (providers ? ` providers:${providers}` : ""))
    .digest("hex")
    .slice(0, 12);
  return join(config.cacheDir, `keycloak-${pinnedKeycloakVersion()}-build-${key}`);
}

/** `extensions`: our provider jars (extension-build.ts), placed in providers/ before Keycloak starts. */
export function prepareHome(config: StackConfig, distribution: string, extensions: BuiltExtension[] = [], node?: KeycloakNode): string {
  const home = keycloakHome(config, node);
  if (!existsSync(join(home, "bin", "kc.sh"))) {
    rmSync(home, { recursive: true, force: true });
    mkdirSync(config.stateDir, { recursive: true });
    const copy = spawnSync("cp", ["-R", distribution, home], { stdio: "inherit" });
    if (copy.status !== 0) throw new Error(`could not copy ${distribution} to ${home}`);
    installProviders(home, extensions, distribution);
    // A new server folder starts from the build another stack already made
    // with the same options and providers.
    const built = buildCacheDir(config, node);
    if (existsSync(built)) cpSync(built, join(home, "lib", "quarkus"), { recursive: true });
  } else {
    // An existing folder: Keycloak rebuilds by itself if the jars changed.
    installProviders(home, extensions, distribution);
  }
  // The realm file is re-copied on every start; Keycloak imports it only when
  // the realm does not exist yet (`npm run reset` starts over).
  mkdirSync(join(home, "data", "import"), { recursive: true });
  copyFileSync(realmFile, join(home, "data", "import", "app-realm.json"));
  // Our themes are linked, not copied, so edits show up without a restart
  // (start-dev does not cache themes).
  if (existsSync(themesDir)) {
    for (const theme of readdirSync(themesDir)) {
      const link = join(home, "themes", theme);
      rmSync(link, { recursive: true, force: true });
      symlinkSync(join(themesDir, theme), link);
    }
  }
  return home;
}

/** Keeps this server's Quarkus build for the next new server folder (call once it is ready). */
export function rememberBuild(config: StackConfig, node?: KeycloakNode): void {
  const built = buildCacheDir(config, node);
  if (existsSync(built)) return;
  const temporary = `${built}.${process.pid}`;
  cpSync(join(keycloakHome(config, node), "lib", "quarkus"), temporary, { recursive: true });
  try {
    renameSync(temporary, built);
  } catch {
    rmSync(temporary, { recursive: true, force: true }); // another stack was faster
  }
}

/** The cluster transport's address: a node must name one the others can reach, never 0.0.0.0. */
function clusterBindAddress(config: StackConfig): string {
  return config.bindHost === "0.0.0.0" || config.bindHost === "::" ? "127.0.0.1" : config.bindHost;
}

/** `node`: one node of the production topology's cluster (its own ports); without it, the single server of dev, test and bench. */
export function startKeycloak(config: StackConfig, home: string, java: JavaRuntime, node?: KeycloakNode): SupervisedChild {
  const env: NodeJS.ProcessEnv = {
    ...keycloakImportVariables(config),
    KC_BOOTSTRAP_ADMIN_USERNAME: config.admin.user,
    KC_BOOTSTRAP_ADMIN_PASSWORD: config.admin.password,
  };
  if (java.home) env.JAVA_HOME = java.home;
  // The JVM's default heap outside containers is small for import plus tests.
  env.JAVA_OPTS_KC_HEAP ??= "-Xms256m -Xmx768m";
  const production: string[] = [];
  if (config.production) {
    const p = config.production;
    // Credentials through the environment, not the command line (ps shows arguments).
    env.KC_DB_USERNAME = p.keycloakDatabase;
    env.KC_DB_PASSWORD = config.secrets.keycloakDbPassword;
    production.push(
      `--db-url=jdbc:postgresql://${p.postgresHost}:${p.postgresPort}/${p.keycloakDatabase}`,
      // Plain HTTP on localhost only: a real deployment terminates TLS in front
      // (or sets https-certificate-file) and uses an https:// hostname.
      "--http-enabled=true",
      // Behind HAProxy (parts/haproxy.ts), which sets X-Forwarded-*; headers
      // from any other address are ignored.
      "--proxy-headers=xforwarded",
      "--proxy-trusted-addresses=127.0.0.1",
    );
    if (node) {
      production.push(
        `--cache-embedded-network-bind-address=${clusterBindAddress(config)}`,
        `--cache-embedded-network-bind-port=${node.clusterPort}`,
      );
    }
  }
  const port = node?.port ?? config.ports.keycloak;
  const managementPort = node?.managementPort ?? config.ports.keycloakManagement;
  return new SupervisedChild({
    name: node?.name ?? "keycloak",
    command: join(home, "bin", "kc.sh"),
    args: [
      ...buildOptions(config),
      ...production,
      // Runtime options (no rebuild). The management interface would inherit
      // http-host; named anyway, so a change to one never opens the other.
      `--http-host=${config.bindHost}`,
      ...ssfTransmitterOptions(config),
      `--http-port=${port}`,
      `--http-management-host=${config.bindHost}`,
      `--http-management-port=${managementPort}`,
      // Every node's hostname is the public URL (the balancer's): one issuer.
      `--hostname=${config.keycloakUrl}`,
      "--import-realm",
    ],
    cwd: home,
    env,
    logFile: join(config.stateDir, "logs", `${node?.name ?? "keycloak"}.log`),
    stopGraceMs: 20_000,
  });
}

export function keycloakHealthUrl(config: StackConfig, node?: KeycloakNode): string {
  return `http://localhost:${node?.managementPort ?? config.ports.keycloakManagement}/health/ready`;
}
