// What the CMS configuration is: the validated shape that cms-config.ts builds
// from the environment, and the error that lists every problem at once.
import type { ApiClientsConfig } from "../auth/clients/read-api-clients";
import type { StepUpTable } from "../auth/step-up/step-up-table";

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
export interface SsfReceiverConfig {
  /** The transmitter's stream management endpoint (SSF 1.0 §8.1.1). */
  streamsUrl: string;
  /** The transmitter's on-demand verification endpoint (SSF 1.0 §8.1.4.2). */
  verifyUrl: string;
  /** The transmitter's stream status endpoint (SSF 1.0 §8.1.2; Keycloak serves it at `streams/status`). */
  statusUrl: string;
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
  /** How often the receiver reads its stream's status (gone, paused, disabled: unhealthy at once), seconds. */
  statusIntervalSeconds: number;
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

export type DatabaseConfig =
  | { client: "sqlite"; filename: string }
  | { client: "postgres"; url: string };

interface KeycloakConfig {
  /** Exact `iss` of accepted tokens, e.g. http://localhost:8080/realms/app. */
  issuer: string;
  /** JWKS endpoint, derived from the issuer and KEYCLOAK_INTERNAL_URL. */
  jwksUrl: string;
  /** RFC 7662 introspection endpoint, derived the same way. */
  introspectionUrl: string;
  /** Keycloak admin API users collection of the realm (account erasure asks it whether a user still exists). */
  adminUsersUrl: string;
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

export type AdminPanelConfig =
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
