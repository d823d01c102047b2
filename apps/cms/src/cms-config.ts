// The one place that reads the CMS's environment: one zod schema names every
// variable and checks each on its own (a clear message naming it); the rules
// that tie settings together (production requires secrets, insecure choices,
// derived Keycloak URLs) follow in buildConfig. Strapi's config/*.ts files and
// the Keycloak strategy take their settings from here; nothing else reads
// process.env. Every problem is collected and reported in one message.
// Insecure settings are errors in production and warnings elsewhere.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { SIGNING_ALGORITHMS } from "@stack/keycloak-tokens";
import { z } from "zod";
import { API_CLIENT_TABLE } from "./auth/clients/client-table";
import { readApiClients, type ApiClientsConfig } from "./auth/clients/read-api-clients";
import { readStepUp } from "./auth/step-up/read-step-up";
import type { StepUpTable } from "./auth/step-up/step-up-table";

// --- the validated shape ------------------------------------------------------

type Environment = "development" | "production" | "test";

/** What to do when Keycloak's introspection endpoint cannot be reached. */
export type IntrospectionUnreachablePolicy =
  /** Reject every request (503) until introspection answers again. */
  | "closed"
  /** Reads (GET, HEAD, OPTIONS) pass while the session was confirmed recently enough; writes get 503. */
  | "reads-open"
  /** RISKY: everything passes on the signature alone. */
  | "open";

/**
 * How the API learns that a Keycloak session ended (docs/decisions/0050-revocation-by-shared-signals.md).
 * `ssf`: Keycloak pushes Security Event Tokens, each request is a memory lookup, with
 * introspection as the fallback while the stream is unhealthy; `introspection`: one
 * introspection per session per window; `off`: the signature alone (insecure).
 */
export type RevocationMode = "ssf" | "introspection" | "off";

/** The Shared Signals receiver (apps/cms/src/auth/session/). */
interface SsfReceiverConfig {
  /** The transmitter's stream management endpoint (SSF 1.0 §8.1.1). */
  streamsUrl: string;
  /** The transmitter's on-demand verification endpoint (SSF 1.0 §8.1.4.2). */
  verifyUrl: string;
  /** Token endpoint for the receiver's client-credentials token. */
  tokenUrl: string;
  /** Where Keycloak pushes (RFC 8935); must match the client's `ssf.validPushUrls`. */
  pushUrl: string;
  /** The bearer value Keycloak sends in every push (`delivery.authorization_header`). */
  pushSecret: string;
  /** A SET older than this is refused, seconds. */
  maxEventAgeSeconds: number;
  /** How long a revocation is kept: at least the realm's longest access-token lifespan, seconds. */
  retentionSeconds: number;
  /** How often each instance re-reads the revocation table, ms. */
  pollIntervalMs: number;
  /** How often the receiver asks Keycloak for a verification event, seconds. */
  verifyIntervalSeconds: number;
  /** A verification event not received within this time makes the stream unhealthy, seconds. */
  verifyTimeoutSeconds: number;
  /** Largest accepted push body, bytes. */
  maxBodyBytes: number;
  /**
   * Keep the introspection check next to pushed revocations (default off). Keycloak 26.7's
   * transmitter pushes nothing for a disabled or deleted user, `/revoke` or one session deleted by
   * an admin; our Keycloak extension sends those
   * (docs/decisions/0054-ssf-gaps-and-how-to-fill-them.md). On: belt and braces for a Keycloak
   * without that extension.
   */
  introspectionBackstop: boolean;
}

type DatabaseConfig =
  | { client: "sqlite"; filename: string }
  | { client: "postgres"; url: string };

interface KeycloakConfig {
  /** Exact `iss` of accepted tokens, e.g. http://localhost:8080/realms/app. */
  issuer: string;
  /** JWKS endpoint, derived from the issuer and KEYCLOAK_INTERNAL_URL. */
  jwksUrl: string;
  /** RFC 7662 introspection endpoint, derived the same way. */
  introspectionUrl: string;
  /** Value that must be among the token's `aud`. */
  audience: string;
  /** Clients (`azp`) whose tokens are accepted. */
  allowedAzp: readonly string[];
  /** Accepted JWS algorithms; asymmetric only. */
  algorithms: readonly string[];
  /** Tolerance for `exp`, `nbf` and `iat`, seconds. */
  clockLeewaySeconds: number;
  /** Longest accepted token, bytes. */
  maxTokenBytes: number;
  /** Minimum time between two JWKS fetches, seconds. */
  jwksCooldownSeconds: number;
  /** Age after which the JWKS is refreshed in the background, seconds. */
  jwksMaxAgeSeconds: number;
  /** Timeout of every call to Keycloak, milliseconds. */
  httpTimeoutMs: number;
  cmsClientId: string;
  /** Introspection credentials; undefined only when the revocation check is off. */
  cmsClientSecret: string | undefined;
  /** How long a confirmed session is trusted before it is introspected again, seconds; 0 = no check. */
  revocationWindowSeconds: number;
  introspectionUnreachable: IntrospectionUnreachablePolicy;
  /** With `reads-open`: how old the last confirmation may be for a read to pass, seconds. */
  introspectionMaxStalenessSeconds: number;
  revocation: RevocationMode;
  ssf: SsfReceiverConfig;
}

export interface CmsConfig {
  environment: Environment;
  server: { host: string; port: number; appKeys: readonly string[] };
  secrets: {
    apiTokenSalt: string;
    adminJwtSecret: string;
    transferTokenSalt: string;
    jwtSecret: string;
    encryptionKey: string;
  };
  database: DatabaseConfig;
  keycloak: KeycloakConfig;
  /** In-memory caches of Strapi users and role permissions. */
  authCache: { ttlSeconds: number; maxEntries: number };
  /** `npm run bench` only: extra routes under /api/bench that compare auth strategies (src/bench/). */
  bench: { routes: boolean };
  /**
   * Strapi's admin panel and its API (`/admin`, `/content-manager`, ...). Closed
   * unless CMS_ADMIN_PANEL=true; then its first admin is created at start from
   * these credentials, so nobody can register one through `/admin/register-admin`.
   */
  adminPanel: AdminPanelConfig;
  /** Which clients may call the API and how (apps/cms/src/auth/clients/), DPoP proof settings. */
  apiClients: ApiClientsConfig;
  /** Step-up: the level of authentication each action needs (src/auth/step-up/, CMS_STEP_UP_LEVELS). */
  stepUp: { table: StepUpTable };
}

type AdminPanelConfig =
  | { enabled: false }
  | { enabled: true; firstAdmin: { email: string; password: string } };

export interface ParsedCmsConfig {
  config: CmsConfig;
  warnings: readonly string[];
}

export class CmsConfigError extends Error {
  readonly code = "ERR_CMS_CONFIG";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid CMS configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CmsConfigError";
  }
}

// --- the variables ----------------------------------------------------------
// Each value is trimmed, and an empty one counts as unset. A message is the
// variable's problem; the variable's name is put in front of it.

const unsetIfBlank = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const optionalText = z.preprocess(unsetIfBlank, z.string().optional());

/** "a, b or c" */
const choices = (values: readonly string[]) => `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.preprocess(
    unsetIfBlank,
    z.enum(values, { error: (issue) => `must be ${choices(values)} (got "${String(issue.input)}").` }).default(fallback),
  );
}

const flag = (fallback: boolean) => oneOf(["true", "false"], fallback ? "true" : "false").transform((value) => value === "true");

function wholeNumber(fallback: number, min: number, max: number) {
  return optionalText.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      ctx.issues.push({ code: "custom", input: raw, message: `must be a whole number from ${min} to ${max} (got "${raw}").` });
      return z.NEVER;
    }
    return value;
  });
}

/** A comma-separated list; blank items are dropped. */
function commaList(fallback: readonly string[]) {
  return optionalText.transform((raw) => (raw === undefined ? [...fallback] : raw.split(",").map((item) => item.trim()).filter(Boolean)));
}

// JWS algorithms whose verification key is public (@stack/keycloak-tokens, the
// realm's one allow-list). HMAC and `none` are never accepted: a public JWKS key
// used as an HMAC secret is the classic algorithm-confusion attack.
const ASYMMETRIC_ALGORITHMS: readonly string[] = SIGNING_ALGORITHMS;

const algorithmList = commaList(["RS256"]).check((ctx) => {
  const rejected = ctx.value.filter((alg) => !ASYMMETRIC_ALGORITHMS.includes(alg));
  if (rejected.length > 0) {
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      message: `may only list asymmetric JWS algorithms (${ASYMMETRIC_ALGORITHMS.join(", ")}); rejected: ${rejected.join(", ")}.`,
    });
  }
  if (ctx.value.length === 0) ctx.issues.push({ code: "custom", input: ctx.value, message: "must list at least one algorithm." });
});

/** Every variable the CMS reads, each checked on its own. */
const settings = z.object({
  NODE_ENV: oneOf(["development", "production", "test"], "development"),
  HOST: optionalText,
  PORT: wholeNumber(1337, 1, 65535),
  APP_KEYS: commaList([]),
  API_TOKEN_SALT: optionalText,
  ADMIN_JWT_SECRET: optionalText,
  TRANSFER_TOKEN_SALT: optionalText,
  JWT_SECRET: optionalText,
  ENCRYPTION_KEY: optionalText,
  DATABASE_CLIENT: oneOf(["sqlite", "postgres"], "sqlite"),
  DATABASE_FILENAME: optionalText,
  DATABASE_URL: optionalText,
  KEYCLOAK_ISSUER: optionalText,
  KEYCLOAK_INTERNAL_URL: optionalText,
  KEYCLOAK_AUDIENCE: optionalText,
  // Default: every client of the API client table (apps/cms/src/auth/clients/client-table.ts).
  KEYCLOAK_ALLOWED_AZP: commaList(API_CLIENT_TABLE.map((client) => client.clientId)),
  KEYCLOAK_ALLOWED_ALGS: algorithmList,
  KEYCLOAK_CLOCK_LEEWAY_SECONDS: wholeNumber(5, 0, 300),
  KEYCLOAK_MAX_TOKEN_BYTES: wholeNumber(8192, 1024, 65536),
  KEYCLOAK_JWKS_COOLDOWN_SECONDS: wholeNumber(5, 1, 3600),
  KEYCLOAK_JWKS_MAX_AGE_SECONDS: wholeNumber(300, 10, 86400),
  KEYCLOAK_HTTP_TIMEOUT_MS: wholeNumber(3000, 100, 60000),
  KEYCLOAK_CMS_CLIENT_ID: optionalText,
  KEYCLOAK_CMS_CLIENT_SECRET: optionalText,
  KEYCLOAK_REVOCATION_WINDOW_SECONDS: wholeNumber(5, 0, 3600),
  KEYCLOAK_INTROSPECTION_UNREACHABLE: oneOf(["closed", "reads-open", "open"], "reads-open"),
  KEYCLOAK_INTROSPECTION_MAX_STALENESS_SECONDS: wholeNumber(60, 0, 86400),
  KEYCLOAK_REVOCATION: oneOf(["ssf", "introspection", "off"], "ssf"),
  KEYCLOAK_SSF_PUSH_SECRET: optionalText,
  KEYCLOAK_SSF_PUSH_URL: optionalText,
  KEYCLOAK_SSF_MAX_EVENT_AGE_SECONDS: wholeNumber(300, 10, 86400),
  KEYCLOAK_SSF_RETENTION_SECONDS: wholeNumber(3600, 60, 30 * 86400),
  KEYCLOAK_SSF_POLL_INTERVAL_MS: wholeNumber(1000, 100, 60_000),
  KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS: wholeNumber(120, 10, 86400),
  KEYCLOAK_SSF_VERIFY_TIMEOUT_SECONDS: wholeNumber(15, 1, 600),
  KEYCLOAK_SSF_MAX_BODY_BYTES: wholeNumber(16384, 1024, 262144),
  // Off by default: with our Keycloak extension filling the transmitter's gaps
  // (docs/decisions/0054-ssf-gaps-and-how-to-fill-them.md) a healthy stream
  // carries every revocation, so requests need no network call. On: belt and
  // braces, one introspection per session per window next to the pushes.
  KEYCLOAK_SSF_INTROSPECTION_BACKSTOP: flag(false),
  CMS_AUTH_CACHE_TTL_SECONDS: wholeNumber(30, 0, 3600),
  CMS_AUTH_CACHE_MAX_ENTRIES: wholeNumber(10000, 10, 10_000_000),
  // RISKY: the bench routes serve content with auth off and accept Strapi-issued
  // JWTs next to Keycloak's, which is what they measure; never in production.
  CMS_BENCH_ROUTES: flag(false),
  CMS_ADMIN_PANEL: flag(false),
  CMS_ADMIN_EMAIL: optionalText,
  // Taken as written: spaces are part of a password.
  CMS_ADMIN_PASSWORD: z.string().optional(),
  // --- API clients: DPoP proofs (apps/cms/src/auth/clients/read-api-clients.ts) ---
  CMS_DPOP_ALGS: commaList(["ES256", "PS256", "RS256", "EdDSA"]),
  CMS_DPOP_MAX_AGE_SECONDS: wholeNumber(60, 5, 300),
  CMS_DPOP_CLOCK_LEEWAY_SECONDS: wholeNumber(5, 0, 60),
  // --- Step-up: the level of authentication each action needs (src/auth/step-up/) ---
  CMS_STEP_UP_LEVELS: optionalText,
});

type Settings = z.infer<typeof settings>;

/**
 * The variables, each checked on its own: every problem, named by its variable,
 * and the values with a variable's default in place of a value that failed.
 */
function readSettings(env: NodeJS.ProcessEnv): { values: Settings; problems: string[] } {
  const first = settings.safeParse(env);
  if (first.success) return { values: first.data, problems: [] };
  const problems = first.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  const failed = new Set(first.error.issues.map((issue) => issue.path[0]));
  const repaired = Object.fromEntries(Object.entries(env).filter(([name]) => !failed.has(name)));
  return { values: settings.parse(repaired), problems };
}

// --- the rules that tie them together ----------------------------------------

const SECRET_VARIABLES = {
  apiTokenSalt: "API_TOKEN_SALT",
  adminJwtSecret: "ADMIN_JWT_SECRET",
  transferTokenSalt: "TRANSFER_TOKEN_SALT",
  jwtSecret: "JWT_SECRET",
  encryptionKey: "ENCRYPTION_KEY",
} as const;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Listen addresses that only this machine can reach (HOST is passed to listen(), so no brackets). */
const isLoopbackBindHost = (host: string) => host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
const DEV_ISSUER = "http://localhost:8080/realms/app";

// Strapi's own admin password rule (one lower-case letter, one upper-case letter,
// one digit; bcrypt reads at most 72 bytes) with the realm's minimum length.
const ADMIN_PASSWORD_MIN_LENGTH = 12;
const ADMIN_PASSWORD_MAX_BYTES = 72;
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ParseOptions {
  /** Base for a relative DATABASE_FILENAME (the runner starts Strapi in apps/cms). */
  cwd?: string;
  /** Source of throw-away development secrets. */
  randomSecret?: () => string;
}

/** Validates an environment; throws CmsConfigError naming every problem. */
export function parseCmsConfig(env: NodeJS.ProcessEnv, options: ParseOptions = {}): ParsedCmsConfig {
  const cwd = options.cwd ?? process.cwd();
  const randomSecret = options.randomSecret ?? (() => randomBytes(24).toString("base64url"));
  const { values: s, problems: errors } = readSettings(env);
  const warnings: string[] = [];

  const environment = s.NODE_ENV;
  const production = environment === "production";
  /** An insecure choice: fatal in production, a warning elsewhere. */
  const insecure = (message: string) => (production ? errors : warnings).push(message);

  // --- server -------------------------------------------------------------
  // Loopback unless told otherwise: a container or a host that must be reached
  // from elsewhere sets HOST=0.0.0.0 on purpose.
  const host = s.HOST ?? "127.0.0.1";
  const port = s.PORT;

  const generated: string[] = [];
  const secret = (name: (typeof SECRET_VARIABLES)[keyof typeof SECRET_VARIABLES]): string => {
    const value = s[name];
    if (value !== undefined) {
      if (value.length < 16) insecure(`${name} is shorter than 16 characters.`);
      return value;
    }
    if (production) {
      errors.push(`${name} is required in production.`);
      return "";
    }
    generated.push(name);
    return randomSecret();
  };
  const appKeys = [...s.APP_KEYS];
  if (appKeys.length === 0) {
    if (production) errors.push("APP_KEYS is required in production (comma-separated list of random keys).");
    else {
      generated.push("APP_KEYS");
      appKeys.push(randomSecret(), randomSecret());
    }
  } else if (appKeys.some((key) => key.length < 16)) {
    insecure("APP_KEYS contains a key shorter than 16 characters.");
  }
  const secrets = Object.fromEntries(
    Object.entries(SECRET_VARIABLES).map(([key, name]) => [key, secret(name)]),
  ) as CmsConfig["secrets"];
  if (generated.length > 0) {
    warnings.push(
      `${generated.join(", ")} not set: using random values for this process only (admin sessions end on restart).`,
    );
  }

  // --- database -----------------------------------------------------------
  const database = databaseOf(s, cwd, errors);

  // --- Keycloak -----------------------------------------------------------
  let issuer = s.KEYCLOAK_ISSUER;
  if (issuer === undefined) {
    if (production) errors.push("KEYCLOAK_ISSUER is required in production (e.g. https://id.example.com/realms/app).");
    else warnings.push(`KEYCLOAK_ISSUER not set: using ${DEV_ISSUER}.`);
    issuer = DEV_ISSUER;
  }
  const issuerUrl = parseUrl(issuer);
  if (!issuerUrl) {
    errors.push(`KEYCLOAK_ISSUER must be an absolute http(s) URL (got "${issuer}").`);
  } else {
    if (issuerUrl.search || issuerUrl.hash || issuer.endsWith("/")) {
      errors.push("KEYCLOAK_ISSUER must equal the token's `iss` exactly: no trailing slash, query or fragment.");
    }
    if (issuerUrl.protocol === "http:" && !LOOPBACK_HOSTS.has(issuerUrl.hostname)) {
      insecure("KEYCLOAK_ISSUER uses plain http on a non-loopback host; tokens and keys travel unencrypted.");
    }
  }

  const internalRaw = s.KEYCLOAK_INTERNAL_URL;
  let internalBase = issuerUrl?.origin ?? "";
  if (internalRaw !== undefined) {
    const internal = parseUrl(internalRaw);
    if (!internal || (internal.pathname !== "/" && internal.pathname !== "") || internal.search) {
      errors.push(`KEYCLOAK_INTERNAL_URL must be a base URL such as http://keycloak:8080 (got "${internalRaw}").`);
    } else {
      internalBase = internal.origin;
    }
  }
  const realmPath = issuerUrl?.pathname ?? "";
  const jwksUrl = `${internalBase}${realmPath}/protocol/openid-connect/certs`;
  const introspectionUrl = `${internalBase}${realmPath}/protocol/openid-connect/token/introspect`;

  const audience = s.KEYCLOAK_AUDIENCE ?? "cms";
  const allowedAzp = s.KEYCLOAK_ALLOWED_AZP;
  if (allowedAzp.length === 0) errors.push("KEYCLOAK_ALLOWED_AZP must name at least one client.");
  const algorithms = s.KEYCLOAK_ALLOWED_ALGS;

  const clockLeewaySeconds = s.KEYCLOAK_CLOCK_LEEWAY_SECONDS;
  if (clockLeewaySeconds > 60) insecure("KEYCLOAK_CLOCK_LEEWAY_SECONDS above 60 keeps expired tokens usable.");

  const cmsClientId = s.KEYCLOAK_CMS_CLIENT_ID ?? "cms";
  const cmsClientSecret = s.KEYCLOAK_CMS_CLIENT_SECRET;
  let revocationWindowSeconds = s.KEYCLOAK_REVOCATION_WINDOW_SECONDS;
  if (revocationWindowSeconds > 0 && cmsClientSecret === undefined) {
    if (production) {
      errors.push(
        "KEYCLOAK_CMS_CLIENT_SECRET is required for the revocation check (or set KEYCLOAK_REVOCATION_WINDOW_SECONDS=0, which is insecure).",
      );
    } else {
      warnings.push(
        "KEYCLOAK_CMS_CLIENT_SECRET not set: the revocation check is OFF, revoked sessions keep working until their tokens expire.",
      );
      revocationWindowSeconds = 0;
    }
  } else if (revocationWindowSeconds === 0) {
    insecure("KEYCLOAK_REVOCATION_WINDOW_SECONDS=0 turns the revocation check off: revoked sessions keep working until their tokens expire.");
  } else if (revocationWindowSeconds > 60) {
    warnings.push(`KEYCLOAK_REVOCATION_WINDOW_SECONDS=${revocationWindowSeconds}: revocations take that long to reach the API.`);
  }

  const introspectionUnreachable: IntrospectionUnreachablePolicy = s.KEYCLOAK_INTROSPECTION_UNREACHABLE;
  if (introspectionUnreachable === "open") {
    insecure("KEYCLOAK_INTROSPECTION_UNREACHABLE=open accepts writes from revoked sessions while Keycloak is unreachable.");
  }

  // --- revocation by Shared Signals ----------------------------------------
  let revocation: RevocationMode = s.KEYCLOAK_REVOCATION;
  // The session check was off already (window 0 or no client secret): both modes need the secret.
  if (revocationWindowSeconds === 0) revocation = "off";
  else if (revocation === "off") {
    insecure("KEYCLOAK_REVOCATION=off: revoked sessions keep working until their tokens expire.");
    revocationWindowSeconds = 0;
  }
  let pushSecret = s.KEYCLOAK_SSF_PUSH_SECRET;
  if (revocation === "ssf") {
    if (pushSecret === undefined) {
      if (production) errors.push("KEYCLOAK_SSF_PUSH_SECRET is required in production with KEYCLOAK_REVOCATION=ssf.");
      else {
        warnings.push("KEYCLOAK_SSF_PUSH_SECRET not set: using a random value for this process only (the stream is re-registered with it).");
        pushSecret = randomSecret();
      }
    } else if (pushSecret.length < 16) insecure("KEYCLOAK_SSF_PUSH_SECRET is shorter than 16 characters.");
  }
  const pushUrl = s.KEYCLOAK_SSF_PUSH_URL ?? `http://127.0.0.1:${port}/api/ssf/events`;
  const parsedPushUrl = parseUrl(pushUrl);
  if (!parsedPushUrl) errors.push(`KEYCLOAK_SSF_PUSH_URL must be an absolute http(s) URL (got "${pushUrl}").`);
  else if (revocation === "ssf" && parsedPushUrl.protocol === "http:" && !LOOPBACK_HOSTS.has(parsedPushUrl.hostname)) {
    insecure("KEYCLOAK_SSF_PUSH_URL uses plain http on a non-loopback host; Security Event Tokens and the push secret travel unencrypted.");
  }
  const ssf: SsfReceiverConfig = {
    streamsUrl: `${internalBase}${realmPath}/ssf/transmitter/streams`,
    verifyUrl: `${internalBase}${realmPath}/ssf/transmitter/verify`,
    tokenUrl: `${internalBase}${realmPath}/protocol/openid-connect/token`,
    pushUrl,
    pushSecret: pushSecret ?? "",
    maxEventAgeSeconds: s.KEYCLOAK_SSF_MAX_EVENT_AGE_SECONDS,
    retentionSeconds: s.KEYCLOAK_SSF_RETENTION_SECONDS,
    pollIntervalMs: s.KEYCLOAK_SSF_POLL_INTERVAL_MS,
    verifyIntervalSeconds: s.KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS,
    verifyTimeoutSeconds: s.KEYCLOAK_SSF_VERIFY_TIMEOUT_SECONDS,
    maxBodyBytes: s.KEYCLOAK_SSF_MAX_BODY_BYTES,
    introspectionBackstop: s.KEYCLOAK_SSF_INTROSPECTION_BACKSTOP,
  };

  const authCache = { ttlSeconds: s.CMS_AUTH_CACHE_TTL_SECONDS, maxEntries: s.CMS_AUTH_CACHE_MAX_ENTRIES };

  const bench = { routes: s.CMS_BENCH_ROUTES };
  if (bench.routes) {
    if (production) errors.push("CMS_BENCH_ROUTES=true is refused in production: the bench routes bypass Keycloak-only auth.");
    if (!isLoopbackBindHost(host)) {
      errors.push(
        `CMS_BENCH_ROUTES=true requires a loopback HOST (127.0.0.1, ::1 or localhost; got "${host}"): the bench routes bypass Keycloak-only auth and must not be reachable from other machines.`,
      );
    }
    if (!production) warnings.push("CMS_BENCH_ROUTES=true: /api/bench routes are on (auth off and Strapi JWTs accepted there); for benchmarks only.");
  }

  const adminPanel = adminPanelOf(s, errors, warnings);
  const apiClients = readApiClients(
    { allowedAzp, dpopAlgorithms: s.CMS_DPOP_ALGS, dpopMaxAgeSeconds: s.CMS_DPOP_MAX_AGE_SECONDS, dpopLeewaySeconds: s.CMS_DPOP_CLOCK_LEEWAY_SECONDS },
    errors,
  );
  const stepUp = readStepUp(s.CMS_STEP_UP_LEVELS, errors);

  if (errors.length > 0) throw new CmsConfigError(errors);

  return {
    config: {
      environment,
      server: { host, port, appKeys },
      secrets,
      database,
      keycloak: {
        issuer,
        jwksUrl,
        introspectionUrl,
        audience,
        allowedAzp,
        algorithms,
        clockLeewaySeconds,
        maxTokenBytes: s.KEYCLOAK_MAX_TOKEN_BYTES,
        jwksCooldownSeconds: s.KEYCLOAK_JWKS_COOLDOWN_SECONDS,
        jwksMaxAgeSeconds: s.KEYCLOAK_JWKS_MAX_AGE_SECONDS,
        httpTimeoutMs: s.KEYCLOAK_HTTP_TIMEOUT_MS,
        cmsClientId,
        cmsClientSecret,
        revocationWindowSeconds,
        introspectionUnreachable,
        introspectionMaxStalenessSeconds: s.KEYCLOAK_INTROSPECTION_MAX_STALENESS_SECONDS,
        revocation,
        ssf,
      },
      authCache,
      bench,
      adminPanel,
      apiClients,
      stepUp,
    },
    warnings,
  };
}

let loaded: ParsedCmsConfig | undefined;

/** The process's configuration, parsed once from process.env. */
export function loadCmsConfig(): ParsedCmsConfig {
  loaded ??= parseCmsConfig(process.env);
  return loaded;
}

/** Shorthand for Strapi's config files. */
export function cmsConfig(): CmsConfig {
  return loadCmsConfig().config;
}

function databaseOf(s: Settings, cwd: string, errors: string[]): DatabaseConfig {
  if (s.DATABASE_CLIENT === "sqlite") {
    return { client: "sqlite", filename: path.resolve(cwd, s.DATABASE_FILENAME ?? ".tmp/data.db") };
  }
  const url = s.DATABASE_URL;
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
    errors.push("DATABASE_URL must be a postgres:// connection string when DATABASE_CLIENT=postgres.");
    return { client: "postgres", url: "" };
  }
  return { client: "postgres", url };
}

// CMS_ADMIN_PANEL and its first admin (docs/decisions/0030-strapi-answers-only-its-content-api.md):
// off unless asked for; when on, the first admin comes from secrets, never from
// whoever calls register-admin first.
function adminPanelOf(s: Settings, errors: string[], warnings: string[]): AdminPanelConfig {
  if (!s.CMS_ADMIN_PANEL) return { enabled: false };
  // Messages name the variables, never the password's value.
  const email = s.CMS_ADMIN_EMAIL;
  if (email === undefined || !EMAIL_ADDRESS.test(email)) {
    errors.push("CMS_ADMIN_EMAIL must be an email address when CMS_ADMIN_PANEL=true (the first admin is created from it at start).");
  }
  const password = s.CMS_ADMIN_PASSWORD ?? "";
  const emailName = email?.split("@")[0]?.toLowerCase() ?? "";
  if (password === "") {
    errors.push("CMS_ADMIN_PASSWORD is required when CMS_ADMIN_PANEL=true (the first admin is created from it at start).");
  } else if (
    password.length < ADMIN_PASSWORD_MIN_LENGTH ||
    Buffer.byteLength(password) > ADMIN_PASSWORD_MAX_BYTES ||
    !/[a-z]/.test(password) ||
    !/[A-Z]/.test(password) ||
    !/\d/.test(password) ||
    (emailName.length >= 3 && password.toLowerCase().includes(emailName))
  ) {
    errors.push(
      `CMS_ADMIN_PASSWORD is too weak: at least ${ADMIN_PASSWORD_MIN_LENGTH} characters and at most ${ADMIN_PASSWORD_MAX_BYTES} bytes, with a lower-case letter, an upper-case letter and a digit, not containing the email's name.`,
    );
  }
  warnings.push("CMS_ADMIN_PANEL=true: Strapi's admin panel and admin API are open on this instance; publish only /api to the outside.");
  return { enabled: true, firstAdmin: { email: email ?? "", password } };
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}
