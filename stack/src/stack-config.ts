// The one description of a stack: which ports, which folders, which secrets,
// which topology. Four profiles:
//   dev        `npm start`          embedded defaults (dev-file Keycloak, SQLite, file session store)
//   test       `npm test`           the same topology on its own ports, fresh state every run
//   prod       `npm run start:prod` production topology: two Keycloak nodes (`start`, one cluster) on
//                                    PostgreSQL, Strapi on PostgreSQL, two web and two cms instances,
//                                    all behind HAProxy, sessions in Redis
//   test-prod  `npm run test:prod`  the production topology on its own ports, fresh databases every run
//   bench      `npm run bench`      the test topology on its own ports, with Strapi's bench routes (CMS_BENCH_ROUTES)
// Every port can be overridden by env (read in stack-env-input.ts); a bad value fails with every problem listed at once.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError, type Environment, parseStackEnvInput, type PortPrefix, type StackEnvInput } from "./stack-env-input.ts";

export { ConfigError };

export type Profile = "dev" | "test" | "prod" | "test-prod" | "bench";

export const repoRoot = resolve(import.meta.dirname, "..", "..");

interface Ports {
  keycloak: number;
  keycloakManagement: number;
  /** Strapi's public port: the instance itself, or the load balancer in front of the instances. */
  cms: number;
  /** The web app's public port: the instance itself, or the load balancer. */
  web: number;
  smtp: number;
  mailUi: number;
}

/** One node of the production topology's Keycloak cluster, behind the load balancer. */
export interface KeycloakNode {
  /** Part name: keycloak-1, keycloak-2, ... */
  name: string;
  port: number;
  managementPort: number;
  /** JGroups transport (Infinispan cluster traffic); its failure detection listens 100 above. */
  clusterPort: number;
}

export interface ProductionTopology {
  /** Ports of the individual instances behind the load balancer. */
  webInstancePorts: number[];
  cmsInstancePorts: number[];
  /**
   * Keycloak's nodes: ports.keycloak + 1, + 2, ..., management ports.keycloakManagement + 1, ...
   * ports.keycloak is the balancer's; ports.keycloakManagement is the balancer's control port
   * (/health/ready while one node is up, /haproxy/stats).
   */
  keycloakNodes: KeycloakNode[];
  /** Superuser connection used to create the roles and databases. */
  postgresAdminUrl: string;
  postgresHost: string;
  postgresPort: number;
  keycloakDatabase: string;
  cmsDatabase: string;
  redisUrl: string;
  redisKeyPrefix: string;
  /**
   * `npm run test:prod` without STACK_REDIS_URL: the port of the suite's own redis-server
   * (persistence on, ports.keycloak + 20), which drills may restart; redisUrl points at it.
   */
  ownedRedisPort?: number;
  /**
   * `npm run test:prod` without STACK_POSTGRES_URL: the port of the suite's own PostgreSQL server
   * (initdb in the state folder, ports.keycloak + 21), which drills may restart; postgresAdminUrl
   * points at it (decision 0102).
   */
  ownedPostgresPort?: number;
}

export interface StackConfig {
  profile: Profile;
  ports: Ports;
  /**
   * The address every part listens on (Keycloak and its management interface,
   * Strapi, the web app, the mail catcher). Loopback unless STACK_BIND_HOST
   * says otherwise: a local stack has demo accounts, a dev admin and a mail
   * inbox full of reset links, none of which belongs on a network.
   */
  bindHost: string;
  /** Present for the production topology (profiles prod and test-prod). */
  production?: ProductionTopology;
  /** Everything this stack writes: logs, Keycloak home and data, SQLite file, session store. */
  stateDir: string;
  /** Downloads and the unpacked Keycloak distribution, shared by all stacks. */
  cacheDir: string;
  realm: string;
  keycloakUrl: string;
  issuer: string;
  cmsUrl: string;
  webUrl: string;
  mailUrl: string;
  /**
   * Bootstrap admin of the master realm. Dev, test and bench: `admin`/`admin`
   * (printed by npm start). The production topology: a generated password kept
   * in secrets.json, unless KEYCLOAK_ADMIN_PASSWORD is set.
   */
  admin: { user: string; password: string };
  secrets: Secrets;
  /** `dev`: next dev (hot reload). `prod`: next build + next start. */
  webMode: "dev" | "prod";
  /** Apply the demo users and dev identity providers after Keycloak starts. */
  devOverlay: boolean;
  /** Test realm tweaks (short token lifetimes), applied by the overlay. */
  testTweaks?: { webAccessTokenLifespanSeconds: number };
  /** The bench-only routes: Strapi's /api/bench comparison routes (apps/cms/src/bench/) and the web app's /bench pages (WEB_BENCH_ROUTES); `npm run bench` only. */
  benchRoutes: boolean;
  /** The runner's own settings this stack was made from (stack-env-input.ts); child processes inherit `input.inherited`. */
  input: StackEnvInput;
  /**
   * Strapi's CMS_STEP_UP_LEVELS (apps/cms/src/auth/step-up/), when this profile changes the table.
   * Local dev, test and bench stacks publish with password-only tokens (the dev seed, the test kit's
   * HTTP sign-in, the bench), so they run with publishing at level 1; the production profiles keep
   * the table's level 2 (docs/strong-authentication.md).
   */
  cmsStepUpLevels?: string;
  /**
   * Where Keycloak's Shared Signals transmitter pushes revocations: `<prefix>SSF_PUSH_URL`, by default
   * the cms public port (the production topology's load balancer, the single Strapi otherwise).
   */
  ssfPushUrl: string;
}

export interface Secrets {
  webClientSecret: string;
  cmsClientSecret: string;
  /** The confidential `publisher` client (client credentials; the API's service-account example). */
  publisherClientSecret: string;
  authSecret: string;
  strapiAppKeys: string;
  strapiApiTokenSalt: string;
  strapiAdminJwtSecret: string;
  strapiTransferTokenSalt: string;
  strapiJwtSecret: string;
  strapiEncryptionKey: string;
  keycloakDbPassword: string;
  cmsDbPassword: string;
  /** The production topology's Keycloak bootstrap admin password (unused by dev, test and bench). */
  keycloakAdminPassword: string;
  /** The bearer value Keycloak's Shared Signals transmitter sends with every push to Strapi. */
  ssfPushSecret: string;
}

const DEFAULT_PORTS: Record<Profile, Ports> = {
  dev: { keycloak: 8080, keycloakManagement: 9000, cms: 1337, web: 3000, smtp: 1025, mailUi: 1080 },
  test: { keycloak: 18080, keycloakManagement: 19000, cms: 11337, web: 13000, smtp: 11025, mailUi: 11080 },
  prod: { keycloak: 8180, keycloakManagement: 9100, cms: 1437, web: 3100, smtp: 1125, mailUi: 1180 },
  "test-prod": { keycloak: 28180, keycloakManagement: 29100, cms: 21437, web: 23100, smtp: 21125, mailUi: 21180 },
  // Below Linux's ephemeral range (32768+), so no outgoing connection holds one.
  bench: { keycloak: 26080, keycloakManagement: 26090, cms: 26337, web: 26300, smtp: 26025, mailUi: 26081 },
};

/** Variables that move a profile's ports are prefixed per profile, so each profile has its own. */
export const PORT_PREFIX: Record<Profile, PortPrefix> = { dev: "", test: "STACK_TEST_", prod: "STACK_PROD_", "test-prod": "STACK_TEST_PROD_", bench: "STACK_BENCH_" };

/** How many instances of web and of cms the production topology runs. */
const PRODUCTION_INSTANCES = 2;

function isTestProfile(profile: Profile): boolean {
  return profile === "test" || profile === "test-prod";
}

/**
 * The stack of `profile` as `env` sets it up. `env` is an environment
 * (processEnvironment() for the runner, a literal in unit tests) or what
 * parseStackEnvInput already made of one.
 */
export function loadStackConfig(profile: Profile, env: Environment | StackEnvInput): StackConfig {
  const input = isParsed(env) ? env : parseStackEnvInput(env);
  const problems: string[] = [];
  // Each profile reads its own prefixed variables, so that a developer's
  // KEYCLOAK_PORT (meant for npm start) never moves the test stack onto it.
  const ports: Ports = { ...DEFAULT_PORTS[profile], ...input.ports[PORT_PREFIX[profile]] };
  const production = profile === "prod" || profile === "test-prod";
  const instancePorts = (base: number) => Array.from({ length: PRODUCTION_INSTANCES }, (_, i) => base + 1 + i);
  const allPorts: [string, number][] = [
    ...Object.entries(ports),
    ...(production ? instancePorts(ports.web).map((p, i) => [`web instance ${i + 1}`, p] as [string, number]) : []),
    ...(production ? instancePorts(ports.cms).map((p, i) => [`cms instance ${i + 1}`, p] as [string, number]) : []),
    ...(production ? instancePorts(ports.keycloak).map((p, i) => [`Keycloak node ${i + 1}`, p] as [string, number]) : []),
    ...(production ? instancePorts(ports.keycloakManagement).map((p, i) => [`Keycloak node ${i + 1} management`, p] as [string, number]) : []),
  ];
  // A Keycloak node's cluster port and its failure detection (100 above) stay in range.
  if (production && ports.keycloak + 111 + PRODUCTION_INSTANCES > 65535) {
    problems.push(`${PORT_PREFIX[profile]}KEYCLOAK_PORT=${ports.keycloak} leaves no room for the Keycloak nodes' cluster ports (up to ${PORT_PREFIX[profile]}KEYCLOAK_PORT + ${111 + PRODUCTION_INSTANCES})`);
  }
  const seen = new Map<number, string>();
  for (const [key, port] of allPorts) {
    if (seen.has(port)) problems.push(`ports of ${seen.get(port)} and ${key} are both ${port}`);
    seen.set(port, key);
  }
  const webMode = input.webMode ?? (profile === "dev" ? "dev" : "prod");
  if (production && webMode !== "prod") problems.push("the production topology runs production builds; unset STACK_WEB_MODE");
  // Containers reach the native web app (back-channel logout) and the mail
  // catcher through the host gateway, which a loopback listener does not answer.
  const bindHost = input.bindHost ?? (input.runtime === "containers" ? "0.0.0.0" : "127.0.0.1");

  let topology: ProductionTopology | undefined;
  if (production) {
    // The suite runs its own PostgreSQL unless told to use one (a drill restarts it; the machine's is shared).
    const ownedPostgresPort = profile === "test-prod" && !input.postgresUrl ? ports.keycloak + 21 : undefined;
    const postgresAdminUrl = input.postgresUrl ?? `postgres://postgres@127.0.0.1:${ownedPostgresPort ?? 5432}/postgres`;
    // The suite runs its own Redis unless told to use one (a drill restarts it; the machine's is shared).
    const ownedRedisPort = profile === "test-prod" && !input.redisUrl ? ports.keycloak + 20 : undefined;
    const redisUrl = input.redisUrl ?? (ownedRedisPort ? `redis://127.0.0.1:${ownedRedisPort}` : "redis://127.0.0.1:6379");
    const pg = new URL(postgresAdminUrl);
    const suffix = profile.replace("-", "_");
    topology = {
      webInstancePorts: instancePorts(ports.web),
      cmsInstancePorts: instancePorts(ports.cms),
      keycloakNodes: instancePorts(ports.keycloak).map((port, i) => ({
        name: `keycloak-${i + 1}`,
        port,
        managementPort: ports.keycloakManagement + 1 + i,
        clusterPort: ports.keycloak + 11 + i,
      })),
      postgresAdminUrl,
      postgresHost: pg.hostname,
      postgresPort: Number(pg.port || 5432),
      keycloakDatabase: `keycloak_${suffix}`,
      cmsDatabase: `cms_${suffix}`,
      redisUrl,
      redisKeyPrefix: `web:${profile}:`,
      ownedRedisPort,
      ownedPostgresPort,
    };
  }
  if (problems.length > 0) throw new ConfigError(`Invalid stack settings:\n  - ${problems.join("\n  - ")}`);

  const stateDir = resolve(input.stateDir ?? join(repoRoot, ".stack", profile));
  const keycloakUrl = `http://localhost:${ports.keycloak}`;
  const realm = "app";
  const secrets = loadSecrets(stateDir);
  return {
    profile,
    ports,
    bindHost,
    production: topology,
    stateDir,
    cacheDir: input.cacheDir,
    realm,
    keycloakUrl,
    issuer: `${keycloakUrl}/realms/${realm}`,
    cmsUrl: `http://localhost:${ports.cms}`,
    webUrl: `http://localhost:${ports.web}`,
    mailUrl: `http://localhost:${ports.mailUi}`,
    // The production topology runs Keycloak's `start` on a database that
    // outlives the run: its admin gets a generated password, never admin/admin.
    admin: {
      user: input.keycloakAdminUser ?? "admin",
      password: input.keycloakAdminPassword ?? (production ? secrets.keycloakAdminPassword : "admin"),
    },
    secrets,
    webMode,
    devOverlay: input.devOverlay,
    // The bench's refresh storm waits for tokens to expire, like the tests.
    testTweaks: isTestProfile(profile) || profile === "bench" ? { webAccessTokenLifespanSeconds: 20 } : undefined,
    benchRoutes: profile === "bench",
    input,
    cmsStepUpLevels: production ? undefined : (input.cmsStepUpLevels ?? "article.publish=1,article.delete=1"),
    ssfPushUrl: input.ssfPushUrls[PORT_PREFIX[profile]] || `http://127.0.0.1:${ports.cms}/api/ssf/events`,
  };
}

function isParsed(env: Environment | StackEnvInput): env is StackEnvInput {
  return typeof (env as StackEnvInput).inherited === "object" && typeof (env as StackEnvInput).ports === "object";
}

// Local secrets are random per state folder and kept in it, so a restart keeps
// sessions and sealed cookies valid, and nothing secret is in git.
function loadSecrets(stateDir: string): Secrets {
  const file = join(stateDir, "secrets.json");
  const random = (bytes = 32) => randomBytes(bytes).toString("base64url");
  const fresh: Secrets = {
    webClientSecret: random(),
    cmsClientSecret: random(),
    publisherClientSecret: random(),
    authSecret: random(),
    strapiAppKeys: [random(16), random(16)].join(","),
    strapiApiTokenSalt: random(16),
    strapiAdminJwtSecret: random(),
    strapiTransferTokenSalt: random(16),
    strapiJwtSecret: random(),
    strapiEncryptionKey: random(),
    keycloakDbPassword: random(),
    cmsDbPassword: random(),
    keycloakAdminPassword: random(),
    ssfPushSecret: random(),
  };
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>) : {};
  const secrets = { ...fresh, ...existing };
  if (Object.keys(existing).length !== Object.keys(secrets).length) saveSecrets(stateDir, secrets);
  return secrets;
}

/**
 * Writes the secrets into the state folder. A fresh start wipes the folder after its config was
 * loaded, and writes them back: the running stack's secrets stay on disk for whatever loads the
 * same config later (a drill's extra instance, `npm run stop`).
 */
export function saveSecrets(stateDir: string, secrets: Secrets): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, "secrets.json"), JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
