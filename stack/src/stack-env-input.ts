// The runner's own environment variables, read and checked in one place. The
// rest of the runner gets the parsed values passed in (through StackConfig's
// `input`, or as arguments); no other runner file reads process.env (biome.jsonc,
// docs/decisions/0071-the-runner-reads-its-environment-once.md). Bad values fail
// with every problem listed at once, before anything starts.
//
// What the apps read is not here: each app has its own config module, and the
// runner passes the apps their variables explicitly (parts/*.ts).
import { homedir } from "node:os";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import { z } from "zod";

/** An environment as a plain map (process.env's shape, without its methods). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The ports each profile can move, by the variable's unprefixed name. */
const PORT_VARIABLES = {
  keycloak: "KEYCLOAK_PORT",
  keycloakManagement: "KEYCLOAK_MANAGEMENT_PORT",
  cms: "CMS_PORT",
  web: "WEB_PORT",
  smtp: "SMTP_PORT",
  mailUi: "MAIL_UI_PORT",
} as const;

type PortName = keyof typeof PORT_VARIABLES;

/** Each profile reads its own prefixed port variables (none for dev). */
const PORT_PREFIXES = ["", "STACK_TEST_", "STACK_PROD_", "STACK_TEST_PROD_", "STACK_BENCH_"] as const;
export type PortPrefix = (typeof PORT_PREFIXES)[number];

/** Production instances take the ports after the public one, so the highest usable public port is lower. */
const MAX_PUBLIC_PORT = 65532;

export interface StackEnvInput {
  /** STACK_CACHE_DIR, else $XDG_CACHE_HOME/kc-next-strapi, else ~/.cache/kc-next-strapi. */
  cacheDir: string;
  /** STACK_STATE_DIR: replaces `.stack/<profile>/`. */
  stateDir?: string;
  /** STACK_WEB_MODE: `dev` (next dev) or `prod` (next build + start); unset: the profile decides. */
  webMode?: "dev" | "prod";
  /** STACK_CMS_STEP_UP_LEVELS: Strapi's CMS_STEP_UP_LEVELS for the local profiles (empty: the strict table). */
  cmsStepUpLevels?: string;
  /** STACK_BIND_HOST: an IP address; unset: loopback (0.0.0.0 for the containers runtime). */
  bindHost?: string;
  /** STACK_RUNTIME: `native` (default) or `containers` (testcontainers, where a Docker engine answers). */
  runtime: "native" | "containers";
  /** STACK_POSTGRES_URL: the superuser connection of the production topology. */
  postgresUrl?: string;
  /** STACK_REDIS_URL: the production topology's Redis. */
  redisUrl?: string;
  /** STACK_DEV_OVERLAY=false leaves out the demo users and mock providers. */
  devOverlay: boolean;
  /** KEYCLOAK_ADMIN_USER / KEYCLOAK_ADMIN_PASSWORD: the master realm's admin. */
  keycloakAdminUser?: string;
  keycloakAdminPassword?: string;
  /** KEYCLOAK_DIST: a distribution zip or unpacked folder to use instead of a download. */
  keycloakDist?: string;
  /** KEYCLOAK_DOWNLOAD_URL: replaces Keycloak's release download (when Maven is missing). */
  keycloakDownloadUrl?: string;
  /** KEYCLOAK_JAVA_HOME (taken as is) and JAVA_HOME (one candidate among the machine's JDKs). */
  keycloakJavaHome?: string;
  javaHome?: string;
  /** `npm run realm:check` against another server: KEYCLOAK_URL, KEYCLOAK_REALM, REALM_FILE. */
  realmCheck: { keycloakUrl?: string; realm?: string; file?: string };
  /** Port overrides by profile prefix. */
  ports: Record<PortPrefix, Partial<Record<PortName, number>>>;
  /** `<prefix>SSF_PUSH_URL` by profile prefix: where Keycloak pushes revocations (default: the cms public port). */
  ssfPushUrls: Partial<Record<PortPrefix, string>>;
  /**
   * What the runner's child processes inherit (PATH, HOME, proxies, ...), on
   * top of which each part gets its own variables. A copy: changing it changes
   * nothing else.
   */
  inherited: Environment;
}

export class ConfigError extends Error {
  readonly code = "ERR_STACK_CONFIG";
}

/** This process's environment: the runner's one read of process.env. */
export function processEnvironment(): Environment {
  return { ...process.env };
}

// "" counts as unset, as a shell's `VAR= npm start` means.
const text = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

function checked(name: string, accept: (value: string) => boolean, why: string) {
  return text.superRefine((value, context) => {
    if (value !== undefined && !accept(value)) context.addIssue({ code: "custom", message: `${name}=${value} ${why}` });
  });
}

const isPort = (value: string) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_PUBLIC_PORT;
const isUrl = (protocols: string[]) => (value: string) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const portVariableNames = PORT_PREFIXES.flatMap((prefix) => Object.values(PORT_VARIABLES).map((name) => prefix + name));

const schema = z.object({
  STACK_CACHE_DIR: text,
  XDG_CACHE_HOME: text,
  STACK_STATE_DIR: text,
  STACK_WEB_MODE: checked("STACK_WEB_MODE", (value) => value === "dev" || value === "prod", "must be dev or prod"),
  STACK_BIND_HOST: checked("STACK_BIND_HOST", (value) => isIP(value) !== 0, "is not an IP address (127.0.0.1 by default; 0.0.0.0 for every interface)"),
  STACK_RUNTIME: checked("STACK_RUNTIME", (value) => value === "native" || value === "containers", "must be native or containers"),
  STACK_POSTGRES_URL: checked("STACK_POSTGRES_URL", isUrl(["postgres:", "postgresql:"]), "is not a postgres:// URL"),
  STACK_REDIS_URL: checked("STACK_REDIS_URL", isUrl(["redis:", "rediss:"]), "is not a redis:// URL"),
  STACK_DEV_OVERLAY: text,
  // Taken as written: an empty value means the strict table.
  STACK_CMS_STEP_UP_LEVELS: z.string().optional(),
  KEYCLOAK_ADMIN_USER: text,
  KEYCLOAK_ADMIN_PASSWORD: text,
  KEYCLOAK_DIST: text,
  KEYCLOAK_DOWNLOAD_URL: text,
  KEYCLOAK_JAVA_HOME: text,
  JAVA_HOME: text,
  KEYCLOAK_URL: text,
  KEYCLOAK_REALM: text,
  REALM_FILE: text,
  ...Object.fromEntries(portVariableNames.map((name) => [name, checked(name, isPort, "is not a usable TCP port")])),
});

/** Parses the runner's variables out of `env`; throws one ConfigError listing every bad value. */
export function parseStackEnvInput(env: Environment): StackEnvInput {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(`Invalid stack settings:\n  - ${result.error.issues.map((issue) => issue.message).join("\n  - ")}`);
  }
  const v = result.data as Record<string, string | undefined>;
  const ports = Object.fromEntries(
    PORT_PREFIXES.map((prefix) => [
      prefix,
      Object.fromEntries(
        (Object.entries(PORT_VARIABLES) as [PortName, string][])
          .filter(([, name]) => v[prefix + name] !== undefined)
          .map(([key, name]) => [key, Number(v[prefix + name])]),
      ),
    ]),
  ) as StackEnvInput["ports"];
  const ssfPushUrls = Object.fromEntries(
    PORT_PREFIXES.map((prefix) => [prefix, env[`${prefix}SSF_PUSH_URL`]]).filter(([, url]) => url !== undefined && url !== ""),
  ) as StackEnvInput["ssfPushUrls"];
  return {
    ssfPushUrls,
    cacheDir: resolve(v.STACK_CACHE_DIR ?? join(v.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "kc-next-strapi")),
    stateDir: v.STACK_STATE_DIR,
    webMode: v.STACK_WEB_MODE as StackEnvInput["webMode"],
    bindHost: v.STACK_BIND_HOST,
    runtime: v.STACK_RUNTIME === "containers" ? "containers" : "native",
    postgresUrl: v.STACK_POSTGRES_URL,
    redisUrl: v.STACK_REDIS_URL,
    devOverlay: v.STACK_DEV_OVERLAY !== "false",
    cmsStepUpLevels: v.STACK_CMS_STEP_UP_LEVELS,
    keycloakAdminUser: v.KEYCLOAK_ADMIN_USER,
    keycloakAdminPassword: v.KEYCLOAK_ADMIN_PASSWORD,
    keycloakDist: v.KEYCLOAK_DIST,
    keycloakDownloadUrl: v.KEYCLOAK_DOWNLOAD_URL,
    keycloakJavaHome: v.KEYCLOAK_JAVA_HOME,
    javaHome: v.JAVA_HOME,
    realmCheck: { keycloakUrl: v.KEYCLOAK_URL, realm: v.KEYCLOAK_REALM, file: v.REALM_FILE },
    ports,
    inherited: { ...env },
  };
}
