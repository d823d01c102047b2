import "server-only";
import { z } from "zod";

/**
 * The web app's settings. This is the only module that reads `process.env`;
 * everything else receives a `WebConfig`. Every problem is reported in one
 * error so a bad deployment is fixed in one round trip.
 */
export interface WebConfig {
  /** Public origin of the web app, no trailing slash (`WEB_URL`). */
  webUrl: string;
  /** next-auth's cookie encryption secret; also keys the token store's encryption (`AUTH_SECRET`). */
  authSecret: string;
  /** Must equal the `iss` claim exactly (`KEYCLOAK_ISSUER`). */
  keycloakIssuer: string;
  /** Base for server-to-Keycloak calls; the issuer's origin unless `KEYCLOAK_INTERNAL_URL` is set. */
  keycloakInternalUrl: string;
  webClientId: string;
  webClientSecret: string;
  /** Where the server reaches Strapi (`CMS_URL`), no trailing slash. */
  cmsUrl: string;
  /** Set: tokens live in Redis (many instances). Unset: the embedded file store. */
  redisUrl: string | undefined;
  /** Key prefix in Redis, so one Redis can serve several deployments. */
  redisKeyPrefix: string;
  /** Folder of the embedded file-backed token store. */
  sessionStoreDir: string;
  /** Refresh this long before the access token expires, in milliseconds (capped at half the token's lifetime). */
  refreshMarginMs: number;
  /** How long one instance may hold a session's refresh lock, in milliseconds. */
  refreshLockTtlMs: number;
  /** How long the winner's tokens stay readable for requests that lost the refresh race, in milliseconds. */
  successorTtlMs: number;
  /** Lifetime of the session cookie, in seconds; the server-side session ends earlier when Keycloak's does. */
  sessionMaxAgeSeconds: number;
  /** How often the file store deletes expired entries, in milliseconds. */
  storePurgeIntervalMs: number;
  /** Oldest `iat` accepted on a back-channel logout token, in seconds. */
  logoutTokenMaxAgeSeconds: number;
  /** Timeout of every call to Keycloak and Strapi, in milliseconds. */
  upstreamTimeoutMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  production: boolean;
  /** Keycloak identity providers offered as buttons, in order (`KEYCLOAK_IDENTITY_PROVIDERS`, `alias=Label,...`). */
  identityProviders: readonly { alias: string; label: string }[];
  /**
   * `npm run bench` only (`WEB_BENCH_ROUTES=true`): /bench/account renders the
   * account page for a fixed user without any session lookup, and
   * /api/bench/token-store-reads counts the token store's reads. Refused
   * unless WEB_URL is a loopback origin.
   */
  benchRoutes: boolean;
}

export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid web app configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

const required = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);

const httpUrl = z
  .url({ protocol: /^https?$/, error: required("must be an http(s) URL") })
  .transform((value) => value.replace(/\/+$/, ""));

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  WEB_URL: httpUrl,
  AUTH_SECRET: z.string({ error: required("must be a string") }),
  KEYCLOAK_ISSUER: httpUrl,
  KEYCLOAK_INTERNAL_URL: httpUrl.optional(),
  KEYCLOAK_WEB_CLIENT_ID: z.string().min(1).default("web"),
  KEYCLOAK_WEB_CLIENT_SECRET: z.string({ error: required("must be a string") }),
  CMS_URL: httpUrl,
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }).optional(),
  REDIS_KEY_PREFIX: z.string().default("web:"),
  SESSION_STORE_DIR: z.string().min(1).default(".data/sessions"),
  SESSION_REFRESH_MARGIN_SECONDS: seconds(30),
  SESSION_REFRESH_LOCK_SECONDS: seconds(10),
  SESSION_SUCCESSOR_TTL_SECONDS: seconds(30),
  SESSION_MAX_AGE_SECONDS: seconds(36_000),
  SESSION_STORE_PURGE_INTERVAL_SECONDS: seconds(300),
  LOGOUT_TOKEN_MAX_AGE_SECONDS: seconds(300),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  NODE_ENV: z.string().optional(),
  // RISKY: the bench routes render a protected page without a session and
  // expose a counter of the token store's reads; `npm run bench` only.
  WEB_BENCH_ROUTES: z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((value) => value === "true"),
  // Only providers that are enabled in the realm: a hint for a disabled one ends on Keycloak's error page.
  KEYCLOAK_IDENTITY_PROVIDERS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => {
          const [alias = "", ...label] = entry.split("=");
          return { alias: alias.trim(), label: label.join("=").trim() || alias.trim() };
        }),
    )
    .refine((providers) => providers.every(({ alias }) => /^[A-Za-z0-9._-]{1,64}$/.test(alias)), "must be a comma list of alias=Label with Keycloak aliases (letters, digits, . _ -)"),
});

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Parses settings from an environment; throws one `ConfigError` naming every problem. */
export function loadWebConfig(env: Record<string, string | undefined>): { config: WebConfig; warnings: string[] } {
  // Empty strings count as unset: runners often export `VAR=` for "not configured".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  // Field by field, so a missing variable does not hide the checks of the others.
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const result = field.safeParse(cleaned[name]);
    if (result.success) values[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => `${name} ${issue.message}`));
  }
  const e = values as Partial<z.infer<typeof schema>>;
  const production = e.NODE_ENV === "production";
  const warnings: string[] = [];
  const insecure = (message: string) => (production ? problems : warnings).push(message);

  // 32 bytes of entropy is what `npx auth secret` produces; shorter secrets weaken the cookie encryption.
  if (e.AUTH_SECRET !== undefined && e.AUTH_SECRET.length < 32) {
    insecure("AUTH_SECRET should be at least 32 characters (e.g. `openssl rand -base64 32`)");
  }
  if (e.WEB_URL !== undefined) {
    const web = new URL(e.WEB_URL);
    if (web.pathname !== "/") problems.push("WEB_URL must be an origin without a path");
    // Session cookies over plain HTTP can be stolen on the network; loopback is the one safe exception.
    if (web.protocol === "http:" && !LOOPBACK.has(web.hostname)) insecure("WEB_URL must use https outside localhost");
  }
  if (e.KEYCLOAK_ISSUER !== undefined) {
    const issuer = new URL(e.KEYCLOAK_ISSUER);
    if (issuer.protocol === "http:" && !LOOPBACK.has(issuer.hostname)) insecure("KEYCLOAK_ISSUER must use https outside localhost");
    if (!/\/realms\/[^/]+$/.test(issuer.pathname)) problems.push("KEYCLOAK_ISSUER must look like <keycloak>/realms/<realm>");
  }
  // The bench and the tests run the production build (NODE_ENV=production), so
  // NODE_ENV cannot tell a deployment from the bench; a loopback WEB_URL can:
  // a deployment serves people on other machines (and, in production, over https).
  if (e.WEB_BENCH_ROUTES === true && e.WEB_URL !== undefined) {
    const { hostname } = new URL(e.WEB_URL);
    if (!LOOPBACK.has(hostname)) {
      problems.push(`WEB_BENCH_ROUTES=true requires a loopback WEB_URL (localhost, 127.0.0.1 or [::1]; got "${hostname}"): the bench routes render a protected page without a session and are never for a deployment.`);
    } else warnings.push("WEB_BENCH_ROUTES=true: /bench/account and /api/bench/token-store-reads are on; for benchmarks only.");
  }
  // The successor record must outlive the lock, or a waiting instance could miss the winner's tokens.
  if (e.SESSION_SUCCESSOR_TTL_SECONDS !== undefined && e.SESSION_REFRESH_LOCK_SECONDS !== undefined) {
    if (e.SESSION_SUCCESSOR_TTL_SECONDS <= e.SESSION_REFRESH_LOCK_SECONDS) {
      problems.push("SESSION_SUCCESSOR_TTL_SECONDS must be greater than SESSION_REFRESH_LOCK_SECONDS");
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const v = e as z.infer<typeof schema>;
  const web = new URL(v.WEB_URL);

  return {
    warnings,
    config: {
      webUrl: web.origin,
      authSecret: v.AUTH_SECRET,
      keycloakIssuer: v.KEYCLOAK_ISSUER,
      keycloakInternalUrl: v.KEYCLOAK_INTERNAL_URL ?? new URL(v.KEYCLOAK_ISSUER).origin,
      webClientId: v.KEYCLOAK_WEB_CLIENT_ID,
      webClientSecret: v.KEYCLOAK_WEB_CLIENT_SECRET,
      cmsUrl: v.CMS_URL,
      redisUrl: v.REDIS_URL,
      redisKeyPrefix: v.REDIS_KEY_PREFIX,
      sessionStoreDir: v.SESSION_STORE_DIR,
      refreshMarginMs: v.SESSION_REFRESH_MARGIN_SECONDS * 1000,
      refreshLockTtlMs: v.SESSION_REFRESH_LOCK_SECONDS * 1000,
      successorTtlMs: v.SESSION_SUCCESSOR_TTL_SECONDS * 1000,
      sessionMaxAgeSeconds: v.SESSION_MAX_AGE_SECONDS,
      storePurgeIntervalMs: v.SESSION_STORE_PURGE_INTERVAL_SECONDS * 1000,
      logoutTokenMaxAgeSeconds: v.LOGOUT_TOKEN_MAX_AGE_SECONDS,
      upstreamTimeoutMs: v.UPSTREAM_TIMEOUT_MS,
      logLevel: v.LOG_LEVEL,
      production,
      identityProviders: v.KEYCLOAK_IDENTITY_PROVIDERS,
      benchRoutes: v.WEB_BENCH_ROUTES,
    },
  };
}

const CACHE = Symbol.for("kc-next-strapi.web-config");
type Cached = { [CACHE]?: WebConfig };

/** The process's settings, parsed once. Warnings go to stderr once, at first use. */
export function webConfig(): WebConfig {
  const cache = globalThis as Cached;
  if (!cache[CACHE]) {
    const { config, warnings } = loadWebConfig(process.env);
    for (const warning of warnings) console.warn(`[web-config] insecure setting (allowed outside production): ${warning}`);
    cache[CACHE] = config;
  }
  return cache[CACHE];
}

/**
 * next-auth builds its own URLs (redirect_uri, action URLs) from `AUTH_URL`, or
 * else from the Host header, and reads it only from `process.env`. Pinning it
 * to `WEB_URL` keeps redirect_uri exactly the registered
 * `${WEB_URL}/api/auth/callback/keycloak` whatever host a request came in on.
 */
export function pinNextAuthUrl(config: WebConfig): void {
  process.env.AUTH_URL = config.webUrl;
}
