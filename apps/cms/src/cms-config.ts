// The one place that reads the CMS's environment: one zod schema names every
// variable and checks each on its own (a clear message naming it); the rules
// that tie settings together (production requires secrets, insecure choices,
// derived Keycloak URLs) follow in buildConfig. Strapi's config/*.ts files and
// the Keycloak strategy take their settings from here; nothing else reads
// process.env. Every problem is collected and reported in one message.
// Insecure settings are errors in production and warnings elsewhere.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { readApiClients } from "./auth/clients/read-api-clients";
import { readStepUp } from "./auth/step-up/read-step-up";
import {
  CmsConfigError,
  type IntrospectionUnreachablePolicy,
  type RevocationMode,
  type SsfReceiverConfig,
  type DatabaseConfig,
  type CmsConfig,
  type AdminPanelConfig,
  type ParsedCmsConfig,
} from "./config/cms-config-shape";
import { readSettings, type Settings } from "./config/cms-settings";

export { CmsConfigError };
export type { CmsConfig, IntrospectionUnreachablePolicy, ParsedCmsConfig, RevocationMode } from "./config/cms-config-shape";

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
  // Keycloak's admin API for the same realm: /realms/<name> → /admin/realms/<name>.
  const adminUsersUrl = `${internalBase}/admin${realmPath}/users`;

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
    statusUrl: `${internalBase}${realmPath}/ssf/transmitter/streams/status`,
    tokenUrl: `${internalBase}${realmPath}/protocol/openid-connect/token`,
    pushUrl,
    pushSecret: pushSecret ?? "",
    maxEventAgeSeconds: s.KEYCLOAK_SSF_MAX_EVENT_AGE_SECONDS,
    retentionSeconds: s.KEYCLOAK_SSF_RETENTION_SECONDS,
    pollIntervalMs: s.KEYCLOAK_SSF_POLL_INTERVAL_MS,
    verifyIntervalSeconds: s.KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS,
    verifyTimeoutSeconds: s.KEYCLOAK_SSF_VERIFY_TIMEOUT_SECONDS,
    statusIntervalSeconds: s.KEYCLOAK_SSF_STATUS_INTERVAL_SECONDS,
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
    {
      allowedAzp,
      dpopAlgorithms: s.CMS_DPOP_ALGS,
      dpopMaxAgeSeconds: s.CMS_DPOP_MAX_AGE_SECONDS,
      dpopLeewaySeconds: s.CMS_DPOP_CLOCK_LEEWAY_SECONDS,
      publicUrl: s.CMS_PUBLIC_URL,
    },
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
        adminUsersUrl,
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
