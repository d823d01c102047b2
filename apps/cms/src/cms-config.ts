// The one place that reads the CMS's environment. Strapi's config/*.ts files and
// the Keycloak strategy take their settings from here; nothing else reads
// process.env. Every problem is collected and reported in one message.
// Insecure settings are errors in production and warnings elsewhere.
import { randomBytes } from "node:crypto";
import path from "node:path";

export * from "./cms-config-shape";
import type { CmsConfig, DatabaseConfig, Environment, IntrospectionUnreachablePolicy, ParsedCmsConfig, RevocationMode, SsfReceiverConfig } from "./cms-config-shape";
import { CmsConfigError } from "./cms-config-shape";
import { readAdminPanel } from "./read-admin-panel";
import { readStepUp } from "./auth/step-up/read-step-up";

// JWS algorithms whose verification key is public (RFC 7518 §3.1). HMAC and
// `none` are never accepted: a public JWKS key used as an HMAC secret is the
// classic algorithm-confusion attack.
const ASYMMETRIC_ALGORITHMS = new Set([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

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
  const errors: string[] = [];
  const warnings: string[] = [];

  const environment = readEnvironment(env.NODE_ENV, errors);
  const production = environment === "production";
  /** An insecure choice: fatal in production, a warning elsewhere. */
  const insecure = (message: string) => (production ? errors : warnings).push(message);

  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      errors.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return Number(raw);
  };
  const list = (name: string, fallback: readonly string[]): string[] => {
    const raw = read(name);
    if (raw === undefined) return [...fallback];
    return raw.split(",").map((item) => item.trim()).filter(Boolean);
  };

  // --- server -------------------------------------------------------------
  // Loopback unless told otherwise: a container or a host that must be reached
  // from elsewhere sets HOST=0.0.0.0 on purpose.
  const host = read("HOST") ?? "127.0.0.1";
  const port = integer("PORT", 1337, 1, 65535);

  const generated: string[] = [];
  const secret = (name: string): string => {
    const value = read(name);
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
  const appKeys = read("APP_KEYS") === undefined ? [] : list("APP_KEYS", []);
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
  const database = readDatabase(read, cwd, errors);

  // --- Keycloak -----------------------------------------------------------
  let issuer = read("KEYCLOAK_ISSUER");
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

  const internalRaw = read("KEYCLOAK_INTERNAL_URL");
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

  const audience = read("KEYCLOAK_AUDIENCE") ?? "cms";
  const allowedAzp = list("KEYCLOAK_ALLOWED_AZP", ["web"]);
  if (allowedAzp.length === 0) errors.push("KEYCLOAK_ALLOWED_AZP must name at least one client.");

  const algorithms = list("KEYCLOAK_ALLOWED_ALGS", ["RS256"]);
  const badAlgorithms = algorithms.filter((alg) => !ASYMMETRIC_ALGORITHMS.has(alg));
  if (badAlgorithms.length > 0) {
    errors.push(
      `KEYCLOAK_ALLOWED_ALGS may only list asymmetric JWS algorithms (${[...ASYMMETRIC_ALGORITHMS].join(", ")}); rejected: ${badAlgorithms.join(", ")}.`,
    );
  }
  if (algorithms.length === 0) errors.push("KEYCLOAK_ALLOWED_ALGS must list at least one algorithm.");

  const clockLeewaySeconds = integer("KEYCLOAK_CLOCK_LEEWAY_SECONDS", 5, 0, 300);
  if (clockLeewaySeconds > 60) insecure("KEYCLOAK_CLOCK_LEEWAY_SECONDS above 60 keeps expired tokens usable.");
  const maxTokenBytes = integer("KEYCLOAK_MAX_TOKEN_BYTES", 8192, 1024, 65536);
  const jwksCooldownSeconds = integer("KEYCLOAK_JWKS_COOLDOWN_SECONDS", 5, 1, 3600);
  const jwksMaxAgeSeconds = integer("KEYCLOAK_JWKS_MAX_AGE_SECONDS", 300, 10, 86400);
  const httpTimeoutMs = integer("KEYCLOAK_HTTP_TIMEOUT_MS", 3000, 100, 60000);

  const cmsClientId = read("KEYCLOAK_CMS_CLIENT_ID") ?? "cms";
  const cmsClientSecret = read("KEYCLOAK_CMS_CLIENT_SECRET");
  let revocationWindowSeconds = integer("KEYCLOAK_REVOCATION_WINDOW_SECONDS", 5, 0, 3600);
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

  const policyRaw = read("KEYCLOAK_INTROSPECTION_UNREACHABLE") ?? "reads-open";
  let introspectionUnreachable: IntrospectionUnreachablePolicy = "reads-open";
  if (policyRaw === "closed" || policyRaw === "reads-open" || policyRaw === "open") {
    introspectionUnreachable = policyRaw;
    if (policyRaw === "open") {
      insecure("KEYCLOAK_INTROSPECTION_UNREACHABLE=open accepts writes from revoked sessions while Keycloak is unreachable.");
    }
  } else {
    errors.push(`KEYCLOAK_INTROSPECTION_UNREACHABLE must be closed, reads-open or open (got "${policyRaw}").`);
  }
  const introspectionMaxStalenessSeconds = integer("KEYCLOAK_INTROSPECTION_MAX_STALENESS_SECONDS", 60, 0, 86400);

  // --- revocation by Shared Signals ----------------------------------------
  const revocationRaw = read("KEYCLOAK_REVOCATION") ?? "ssf";
  let revocation: RevocationMode = "ssf";
  if (revocationRaw === "ssf" || revocationRaw === "introspection" || revocationRaw === "off") revocation = revocationRaw;
  else errors.push(`KEYCLOAK_REVOCATION must be ssf, introspection or off (got "${revocationRaw}").`);
  // The session check was off already (window 0 or no client secret): both modes need the secret.
  if (revocationWindowSeconds === 0) revocation = "off";
  else if (revocation === "off") {
    insecure("KEYCLOAK_REVOCATION=off: revoked sessions keep working until their tokens expire.");
    revocationWindowSeconds = 0;
  }
  let pushSecret = read("KEYCLOAK_SSF_PUSH_SECRET");
  if (revocation === "ssf") {
    if (pushSecret === undefined) {
      if (production) errors.push("KEYCLOAK_SSF_PUSH_SECRET is required in production with KEYCLOAK_REVOCATION=ssf.");
      else {
        warnings.push("KEYCLOAK_SSF_PUSH_SECRET not set: using a random value for this process only (the stream is re-registered with it).");
        pushSecret = randomSecret();
      }
    } else if (pushSecret.length < 16) insecure("KEYCLOAK_SSF_PUSH_SECRET is shorter than 16 characters.");
  }
  const pushUrl = read("KEYCLOAK_SSF_PUSH_URL") ?? `http://127.0.0.1:${port}/api/ssf/events`;
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
    maxEventAgeSeconds: integer("KEYCLOAK_SSF_MAX_EVENT_AGE_SECONDS", 300, 10, 86400),
    retentionSeconds: integer("KEYCLOAK_SSF_RETENTION_SECONDS", 3600, 60, 30 * 86400),
    pollIntervalMs: integer("KEYCLOAK_SSF_POLL_INTERVAL_MS", 1000, 100, 60_000),
    verifyIntervalSeconds: integer("KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS", 120, 10, 86400),
    verifyTimeoutSeconds: integer("KEYCLOAK_SSF_VERIFY_TIMEOUT_SECONDS", 15, 1, 600),
    maxBodyBytes: integer("KEYCLOAK_SSF_MAX_BODY_BYTES", 16384, 1024, 262144),
    introspectionBackstop: false,
  };
  // Off by default: with our Keycloak extension filling the transmitter's gaps
  // (docs/decisions/0054-ssf-gaps-and-how-to-fill-them.md) a healthy stream
  // carries every revocation, so requests need no network call. On: belt and
  // braces, one introspection per session per window next to the pushes.
  const backstopRaw = read("KEYCLOAK_SSF_INTROSPECTION_BACKSTOP") ?? "false";
  if (backstopRaw !== "true" && backstopRaw !== "false") errors.push(`KEYCLOAK_SSF_INTROSPECTION_BACKSTOP must be true or false (got "${backstopRaw}").`);
  else ssf.introspectionBackstop = backstopRaw === "true";

  const authCache = {
    ttlSeconds: integer("CMS_AUTH_CACHE_TTL_SECONDS", 30, 0, 3600),
    maxEntries: integer("CMS_AUTH_CACHE_MAX_ENTRIES", 10000, 10, 10_000_000),
  };

  // RISKY: the bench routes serve content with auth off and accept Strapi-issued
  // JWTs next to Keycloak's, which is what they measure; never in production.
  const benchRaw = read("CMS_BENCH_ROUTES") ?? "false";
  if (benchRaw !== "true" && benchRaw !== "false") errors.push(`CMS_BENCH_ROUTES must be true or false (got "${benchRaw}").`);
  const bench = { routes: benchRaw === "true" };
  if (bench.routes) {
    if (production) errors.push("CMS_BENCH_ROUTES=true is refused in production: the bench routes bypass Keycloak-only auth.");
    if (!isLoopbackBindHost(host)) {
      errors.push(
        `CMS_BENCH_ROUTES=true requires a loopback HOST (127.0.0.1, ::1 or localhost; got "${host}"): the bench routes bypass Keycloak-only auth and must not be reachable from other machines.`,
      );
    }
    if (!production) warnings.push("CMS_BENCH_ROUTES=true: /api/bench routes are on (auth off and Strapi JWTs accepted there); for benchmarks only.");
  }

  const adminPanel = readAdminPanel(read, env, errors, warnings);

  // Step-up (src/auth/step-up/): the level of authentication each action needs.
  const stepUp = readStepUp(read("CMS_STEP_UP_LEVELS"), errors);

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
        maxTokenBytes,
        jwksCooldownSeconds,
        jwksMaxAgeSeconds,
        httpTimeoutMs,
        cmsClientId,
        cmsClientSecret,
        revocationWindowSeconds,
        introspectionUnreachable,
        introspectionMaxStalenessSeconds,
        revocation,
        ssf,
      },
      authCache,
      bench,
      adminPanel,
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

function readEnvironment(raw: string | undefined, errors: string[]): Environment {
  const value = raw?.trim() || "development";
  if (value === "development" || value === "production" || value === "test") return value;
  errors.push(`NODE_ENV must be development, production or test (got "${value}").`);
  return "development";
}

function readDatabase(read: (name: string) => string | undefined, cwd: string, errors: string[]): DatabaseConfig {
  const client = read("DATABASE_CLIENT") ?? "sqlite";
  if (client === "sqlite") {
    return { client, filename: path.resolve(cwd, read("DATABASE_FILENAME") ?? ".tmp/data.db") };
  }
  if (client === "postgres") {
    const url = read("DATABASE_URL");
    if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
      errors.push("DATABASE_URL must be a postgres:// connection string when DATABASE_CLIENT=postgres.");
      return { client, url: "" };
    }
    return { client, url };
  }
  errors.push(`DATABASE_CLIENT must be sqlite or postgres (got "${client}").`);
  return { client: "sqlite", filename: "" };
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}
