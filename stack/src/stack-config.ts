// The one description of a stack: which ports, which folders, which secrets,
// which topology. Four profiles:
//   dev        `npm start`          embedded defaults (dev-file Keycloak, SQLite, file session store)
//   test       `npm test`           the same topology on its own ports, fresh state every run
//   prod       `npm run start:prod` production topology: Keycloak `start` on PostgreSQL, Strapi on
//                                    PostgreSQL, two web and two cms instances behind local round-robin
//                                    proxies, sessions in Redis
//   test-prod  `npm run test:prod`  the production topology on its own ports, fresh databases every run
//   bench      `npm run bench`      the test topology on its own ports, with Strapi's bench routes (CMS_BENCH_ROUTES)
// Every port can be overridden by env; a bad value fails with every problem listed at once.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export type Profile = "dev" | "test" | "prod" | "test-prod" | "bench";

export const repoRoot = resolve(import.meta.dirname, "..", "..");

export interface Ports {
  keycloak: number;
  keycloakManagement: number;
  /** Strapi's public port: the instance itself, or the round-robin proxy in front of the instances. */
  cms: number;
  /** The web app's public port: the instance itself, or the round-robin proxy. */
  web: number;
  smtp: number;
  mailUi: number;
}

export interface ProductionTopology {
  /** Ports of the individual instances behind the proxies. */
  webInstancePorts: number[];
  cmsInstancePorts: number[];
  /** Superuser connection used to create the roles and databases. */
  postgresAdminUrl: string;
  postgresHost: string;
  postgresPort: number;
  keycloakDatabase: string;
  cmsDatabase: string;
  redisUrl: string;
  redisKeyPrefix: string;
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
  /** Strapi serves the /api/bench comparison routes (`npm run bench` only; apps/cms/src/bench/). */
  cmsBenchRoutes: boolean;
  /**
   * Where Keycloak's Shared Signals transmitter pushes revocations: `<prefix>SSF_PUSH_URL`, by default
   * the cms public port (the production topology's load balancer, the single Strapi otherwise).
   */
  ssfPushUrl: string;
}

export interface Secrets {
  webClientSecret: string;
  cmsClientSecret: string;
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

/** Variables that move a profile's ports; prefixed per profile so each profile has its own. */
const PORT_VARS: Record<keyof Ports, string> = {
  keycloak: "KEYCLOAK_PORT",
  keycloakManagement: "KEYCLOAK_MANAGEMENT_PORT",
  cms: "CMS_PORT",
  web: "WEB_PORT",
  smtp: "SMTP_PORT",
  mailUi: "MAIL_UI_PORT",
};

export const PORT_PREFIX: Record<Profile, string> = { dev: "", test: "STACK_TEST_", prod: "STACK_PROD_", "test-prod": "STACK_TEST_PROD_", bench: "STACK_BENCH_" };

/** How many instances of web and of cms the production topology runs. */
export const PRODUCTION_INSTANCES = 2;

export class ConfigError extends Error {
  readonly code = "ERR_STACK_CONFIG";
}

export function cacheDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STACK_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "kc-next-strapi"));
}

export function isTestProfile(profile: Profile): boolean {
  return profile === "test" || profile === "test-prod";
}

export function loadStackConfig(profile: Profile, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const problems: string[] = [];
  const ports = { ...DEFAULT_PORTS[profile] };
  // Each profile reads its own prefixed variables, so that a developer's
  // KEYCLOAK_PORT (meant for npm start) never moves the test stack onto it.
  const prefix = PORT_PREFIX[profile];
  for (const [key, name] of Object.entries(PORT_VARS) as [keyof Ports, string][]) {
    const raw = env[prefix + name];
    if (raw === undefined || raw === "") continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65534 - PRODUCTION_INSTANCES) {
      problems.push(`${prefix + name}=${raw} is not a usable TCP port`);
    } else ports[key] = port;
  }
  const production = profile === "prod" || profile === "test-prod";
  const instancePorts = (base: number) => Array.from({ length: PRODUCTION_INSTANCES }, (_, i) => base + 1 + i);
  const allPorts: [string, number][] = [
    ...Object.entries(ports),
    ...(production ? instancePorts(ports.web).map((p, i) => [`web instance ${i + 1}`, p] as [string, number]) : []),
    ...(production ? instancePorts(ports.cms).map((p, i) => [`cms instance ${i + 1}`, p] as [string, number]) : []),
  ];
  const seen = new Map<number, string>();
  for (const [key, port] of allPorts) {
    if (seen.has(port)) problems.push(`ports of ${seen.get(port)} and ${key} are both ${port}`);
    seen.set(port, key);
  }
  const webMode = (env.STACK_WEB_MODE ?? (profile === "dev" ? "dev" : "prod")) as StackConfig["webMode"];
  if (webMode !== "dev" && webMode !== "prod") problems.push(`STACK_WEB_MODE=${webMode} must be dev or prod`);
  if (production && webMode !== "prod") problems.push("the production topology runs production builds; unset STACK_WEB_MODE");
  // Containers reach the native web app (back-channel logout) and the mail
  // catcher through the host gateway, which a loopback listener does not answer.
  const bindHost = env.STACK_BIND_HOST || (env.STACK_RUNTIME === "containers" ? "0.0.0.0" : "127.0.0.1");
  if (isIP(bindHost) === 0) problems.push(`STACK_BIND_HOST=${bindHost} is not an IP address (127.0.0.1 by default; 0.0.0.0 for every interface)`);

  let topology: ProductionTopology | undefined;
  if (production) {
    const postgresAdminUrl = env.STACK_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const redisUrl = env.STACK_REDIS_URL ?? "redis://127.0.0.1:6379";
    let pg: URL | undefined;
    try {
      pg = new URL(postgresAdminUrl);
      if (pg.protocol !== "postgres:" && pg.protocol !== "postgresql:") throw new Error();
    } catch {
      problems.push(`STACK_POSTGRES_URL=${postgresAdminUrl} is not a postgres:// URL`);
    }
    if (!/^rediss?:\/\//.test(redisUrl)) problems.push(`STACK_REDIS_URL=${redisUrl} is not a redis:// URL`);
    const suffix = profile.replace("-", "_");
    topology = {
      webInstancePorts: instancePorts(ports.web),
      cmsInstancePorts: instancePorts(ports.cms),
      postgresAdminUrl,
      postgresHost: pg?.hostname ?? "127.0.0.1",
      postgresPort: Number(pg?.port || 5432),
      keycloakDatabase: `keycloak_${suffix}`,
      cmsDatabase: `cms_${suffix}`,
      redisUrl,
      redisKeyPrefix: `web:${profile}:`,
    };
  }
  if (problems.length > 0) throw new ConfigError(`Invalid stack settings:\n  - ${problems.join("\n  - ")}`);

  const stateDir = resolve(env.STACK_STATE_DIR ?? join(repoRoot, ".stack", profile));
  const keycloakUrl = `http://localhost:${ports.keycloak}`;
  const realm = "app";
  const secrets = loadSecrets(stateDir);
  return {
    profile,
    ports,
    bindHost,
    production: topology,
    stateDir,
    cacheDir: cacheDirFromEnv(env),
    realm,
    keycloakUrl,
    issuer: `${keycloakUrl}/realms/${realm}`,
    cmsUrl: `http://localhost:${ports.cms}`,
    webUrl: `http://localhost:${ports.web}`,
    mailUrl: `http://localhost:${ports.mailUi}`,
    // The production topology runs Keycloak's `start` on a database that
    // outlives the run: its admin gets a generated password, never admin/admin.
    admin: {
      user: env.KEYCLOAK_ADMIN_USER || "admin",
      password: env.KEYCLOAK_ADMIN_PASSWORD || (production ? secrets.keycloakAdminPassword : "admin"),
    },
    secrets,
    webMode,
    devOverlay: env.STACK_DEV_OVERLAY !== "false",
    // The bench's refresh storm waits for tokens to expire, like the tests.
    testTweaks: isTestProfile(profile) || profile === "bench" ? { webAccessTokenLifespanSeconds: 20 } : undefined,
    cmsBenchRoutes: profile === "bench",
    ssfPushUrl: env[`${PORT_PREFIX[profile]}SSF_PUSH_URL`] || `http://127.0.0.1:${ports.cms}/api/ssf/events`,
  };
}

// Local secrets are random per state folder and kept in it, so a restart keeps
// sessions and sealed cookies valid, and nothing secret is in git.
function loadSecrets(stateDir: string): Secrets {
  const file = join(stateDir, "secrets.json");
  const random = (bytes = 32) => randomBytes(bytes).toString("base64url");
  const fresh: Secrets = {
    webClientSecret: random(),
    cmsClientSecret: random(),
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
  if (Object.keys(existing).length !== Object.keys(secrets).length) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
