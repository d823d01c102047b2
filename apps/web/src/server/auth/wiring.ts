import "server-only";
import type { JWTVerifyGetKey } from "jose";
import { webConfig, type WebConfig } from "../config/web-config";
import { createLogger, type Logger } from "../log/logger";
import { FileTokenStore } from "./store/file-token-store";
import { keycloakEndpoints, keycloakFetch, type KeycloakEndpoints } from "./keycloak/keycloak-endpoints";
import { createKeycloakLogout, type KeycloakLogout } from "./logout/keycloak-logout";
import { realmKeySet } from "./realm-key-set";
import { RedisTokenStore } from "./store/redis-token-store";
import { createRefreshTokenGrant } from "./tokens/refresh-token-grant";
import { createTokenCipher } from "./store/token-cipher";
import { createTokenRefresher, type TokenRefresher } from "./tokens/token-refresher";
import type { TokenStore } from "./store/token-store";

/** The auth module's long-lived parts, built once per process from the config. */
export interface AuthRuntime {
  config: WebConfig;
  logger: Logger;
  endpoints: KeycloakEndpoints;
  /** Server-to-Keycloak fetch: internal base URL, bounded time. */
  keycloakFetch: typeof fetch;
  store: TokenStore;
  refresher: TokenRefresher;
  /** Keycloak's signing keys, for logout tokens. */
  keys: JWTVerifyGetKey;
  /** Ends a user session at Keycloak by its refresh token (sign-out). */
  keycloakLogout: KeycloakLogout;
}

// Next.js bundles proxy.ts, route handlers and server components separately,
// so a module-level variable would exist once per bundle. A global symbol makes
// the single-flight map and the store connection truly one per process.
const RUNTIME = Symbol.for("kc-next-strapi.auth-runtime");
type Holder = { [RUNTIME]?: AuthRuntime };

export function authRuntime(): AuthRuntime {
  const holder = globalThis as Holder;
  holder[RUNTIME] ??= buildRuntime(webConfig());
  return holder[RUNTIME];
}

function buildRuntime(config: WebConfig): AuthRuntime {
  const logger = createLogger(config.logLevel);
  const endpoints = keycloakEndpoints(config.keycloakIssuer, config.keycloakInternalUrl);
  const kcFetch = keycloakFetch(endpoints, config.upstreamTimeoutMs);
  const cipher = createTokenCipher(config.authSecret);
  const store: TokenStore = config.redisUrl
    ? new RedisTokenStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, cipher })
    : new FileTokenStore({ dir: config.sessionStoreDir, cipher });
  if (store instanceof FileTokenStore) schedulePurge(store, config.storePurgeIntervalMs, logger);

  const refresher = createTokenRefresher({
    store,
    logger,
    grant: createRefreshTokenGrant({
      tokenEndpoint: endpoints.token,
      clientId: config.webClientId,
      clientSecret: config.webClientSecret,
      fetch: kcFetch,
      now: Date.now,
    }),
    marginMs: config.refreshMarginMs,
    lockTtlMs: config.refreshLockTtlMs,
    successorTtlMs: config.successorTtlMs,
    sessionMaxAgeMs: config.sessionMaxAgeSeconds * 1000,
  });

  const keys = realmKeySet({
    jwksUrl: endpoints.jwks,
    // A key withdrawn from the realm stops verifying within five minutes; an
    // unknown `kid` (a new key) refetches at most every 30 s.
    maxAgeMs: 5 * 60_000,
    staleIfErrorMs: 60 * 60_000,
    cooldownMs: 30_000,
    timeoutMs: config.upstreamTimeoutMs,
    fetch: kcFetch,
  });

  const keycloakLogout = createKeycloakLogout({
    logoutEndpoint: endpoints.logout,
    clientId: config.webClientId,
    clientSecret: config.webClientSecret,
    fetch: kcFetch,
  });

  return { config, logger, endpoints, keycloakFetch: kcFetch, store, refresher, keys, keycloakLogout };
}

function schedulePurge(store: FileTokenStore, intervalMs: number, logger: Logger): void {
  const purge = () =>
    store.purgeExpired().then(
      (removed) => removed > 0 && logger.debug("token_store_purged", { removed }),
      () => logger.warn("token_store_purge_failed", {}),
    );
  void purge();
  // unref: the timer must not keep a finishing process alive.
  setInterval(purge, intervalMs).unref();
}
