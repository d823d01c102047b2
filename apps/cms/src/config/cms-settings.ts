// The CMS's environment variables, each checked on its own by one zod schema;
// cms-config.ts ties them together.
import { SIGNING_ALGORITHMS } from "@stack/keycloak-tokens";
import { z } from "zod";
import { API_CLIENT_TABLE } from "../auth/clients/client-table";

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
  KEYCLOAK_SSF_STATUS_INTERVAL_SECONDS: wholeNumber(5, 1, 3600),
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
  // The API's URL as its clients call it (behind a TLS-terminating proxy): what a DPoP proof's htu names.
  CMS_PUBLIC_URL: optionalText,
  CMS_DPOP_MAX_AGE_SECONDS: wholeNumber(60, 5, 300),
  CMS_DPOP_CLOCK_LEEWAY_SECONDS: wholeNumber(5, 0, 60),
  // --- Step-up: the level of authentication each action needs (src/auth/step-up/) ---
  CMS_STEP_UP_LEVELS: optionalText,
});

export type Settings = z.infer<typeof settings>;

/**
 * The variables, each checked on its own: every problem, named by its variable,
 * and the values with a variable's default in place of a value that failed.
 */
export function readSettings(env: NodeJS.ProcessEnv): { values: Settings; problems: string[] } {
  const first = settings.safeParse(env);
  if (first.success) return { values: first.data, problems: [] };
  const problems = first.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  const failed = new Set(first.error.issues.map((issue) => issue.path[0]));
  const repaired = Object.fromEntries(Object.entries(env).filter(([name]) => !failed.has(name)));
  return { values: settings.parse(repaired), problems };
}
