// Strapi (apps/cms): SQLite in the embedded topology, PostgreSQL in the
// production one. apps/cms/bin/serve.mjs compiles the server code when it is
// stale and boots Strapi without waiting for an admin-panel build.
import { join } from "node:path";
import { SupervisedChild } from "../process/child-process.ts";
import { ssfPushUrl } from "../keycloak/keycloak-server.ts";
import { repoRoot, type StackConfig } from "../stack-config.ts";

export const cmsDir = join(repoRoot, "apps", "cms");

export interface CmsInstance {
  name: string;
  port: number;
}

/** One instance (`cms`) in the embedded topology, `cms-1`, `cms-2`, ... behind the proxy otherwise. */
export function cmsInstances(config: StackConfig): CmsInstance[] {
  if (!config.production) return [{ name: "cms", port: config.ports.cms }];
  return config.production.cmsInstancePorts.map((port, i) => ({ name: `cms-${i + 1}`, port }));
}

export function cmsEnv(config: StackConfig, port: number): NodeJS.ProcessEnv {
  const s = config.secrets;
  const database: NodeJS.ProcessEnv = config.production
    ? {
        DATABASE_CLIENT: "postgres",
        DATABASE_URL: `postgres://${config.production.cmsDatabase}:${encodeURIComponent(s.cmsDbPassword)}@${config.production.postgresHost}:${config.production.postgresPort}/${config.production.cmsDatabase}`,
      }
    : { DATABASE_CLIENT: "sqlite", DATABASE_FILENAME: join(config.stateDir, "cms", "data.db") };
  return {
    HOST: config.bindHost,
    PORT: String(port),
    NODE_ENV: config.production ? "production" : "development",
    APP_KEYS: s.strapiAppKeys,
    API_TOKEN_SALT: s.strapiApiTokenSalt,
    ADMIN_JWT_SECRET: s.strapiAdminJwtSecret,
    TRANSFER_TOKEN_SALT: s.strapiTransferTokenSalt,
    JWT_SECRET: s.strapiJwtSecret,
    ENCRYPTION_KEY: s.strapiEncryptionKey,
    ...database,
    KEYCLOAK_ISSUER: config.issuer,
    KEYCLOAK_AUDIENCE: "cms",
    KEYCLOAK_ALLOWED_AZP: "web,mobile,cli,publisher",
    KEYCLOAK_CMS_CLIENT_ID: "cms",
    KEYCLOAK_CMS_CLIENT_SECRET: s.cmsClientSecret,
    KEYCLOAK_SSF_PUSH_SECRET: s.ssfPushSecret,
    KEYCLOAK_SSF_PUSH_URL: ssfPushUrl(config),
    STRAPI_TELEMETRY_DISABLED: "true",
    BROWSER: "none",
    // `npm run bench` only; Strapi refuses it in production.
    ...(config.benchRoutes ? { CMS_BENCH_ROUTES: "true" } : {}),
    ...(config.cmsStepUpLevels === undefined ? {} : { CMS_STEP_UP_LEVELS: config.cmsStepUpLevels }),
  };
}

export function startCms(config: StackConfig, instance: CmsInstance): SupervisedChild {
  return new SupervisedChild({
    name: instance.name,
    command: process.execPath,
    args: [join(cmsDir, "bin", "serve.mjs")],
    cwd: cmsDir,
    env: { ...config.input.inherited, ...cmsEnv(config, instance.port), ...testSuiteEnv(config) },
    logFile: join(config.stateDir, "logs", `${instance.name}.log`),
  });
}

/**
 * Test-suite tweaks, not part of the deployment contract (docker-compose has
 * no equivalent). The production-mode suite proves that PostgreSQL NOTIFY, not
 * the table poll, carries a revocation to the instance the push did not reach:
 * with the poll at 15 s, only the NOTIFY meets the suite's deadline.
 */
function testSuiteEnv(config: StackConfig): Record<string, string> {
  return config.profile === "test-prod" ? { KEYCLOAK_SSF_POLL_INTERVAL_MS: "15000" } : {};
}

const CMS_HEALTH_PATH = "/_health";

export function cmsHealthUrl(port: number): string {
  return `http://localhost:${port}${CMS_HEALTH_PATH}`;
}

// A request target with dot segments, encoded dots, slashes or backslashes
// could mean a closed path to whatever normalises it; no API path needs them.
const AMBIGUOUS_PATH = /(^|\/)\.{1,2}(\/|$)|%2e|%2f|%5c|\\/i;

/**
 * What the production proxy forwards to Strapi: its content API and its health
 * check, nothing of the admin panel's API (`/admin`, `/content-manager`, ...).
 * Strapi closes those itself too (apps/cms/src/middlewares/closed-doors.ts);
 * this keeps them unpublished even on an instance where CMS_ADMIN_PANEL=true.
 * `target` is the request line's target as received (origin form expected).
 */
export function cmsPublishedPath(target: string): boolean {
  const path = target.split("?", 1)[0]!;
  if (AMBIGUOUS_PATH.test(path)) return false;
  return path === CMS_HEALTH_PATH || path === "/api" || path.startsWith("/api/");
}
