import "server-only";
import { DEFAULT_ALGORITHMS, JwksKeyStore, type KeyResolver } from "@stack/keycloak-tokens";
import { webConfig, type WebConfig } from "../config/web-config";
import { createLogger, type Logger } from "../log/logger";
import { keycloakEndpoints, keycloakFetch, type KeycloakEndpoints } from "./keycloak/keycloak-endpoints";
import { endStoredSession, type EndStoredSession } from "./logout/end-stored-session";
import { createKeycloakLogout } from "./logout/keycloak-logout";
import { createSignOut } from "./logout/sign-out";
import { createAuthRoutes } from "./routes";
import { createApiAccess } from "./session/api-access";
import { createCurrentSession } from "./session/current-session";
import { createNextAuth } from "./session/next-auth-instance";
import { createRouteProtection, type RouteProtectionOptions } from "./session/route-protection";
import { createSessionHandoff, type SessionHandoff } from "./session/session-handoff";
import { createSessionLookup, type SessionLookup } from "./session/session-lookup";
import { safeReturnTo } from "./sign-in/safe-return-to";
import { createSignIn } from "./sign-in/sign-in";
import { createAccountAction } from "./sign-in/start-account-action";
import { countTokenStoreReads } from "./store/counting-token-store";
import { openTokenStore } from "./store/open-token-store";
import type { TokenStore } from "./store/token-store";
import { createRefreshTokenGrant } from "./tokens/refresh-token-grant";
import { createTokenRefresher, type TokenRefresher } from "./tokens/token-refresher";

/**
 * The auth module's composition root: the one place that builds its parts
 * and hands each module what it needs. Nothing else constructs a store, a
 * refresher or next-auth, and no module looks its collaborators up.
 */

/** The long-lived parts, one set per process, built from the config on first use. */
interface ProcessParts {
  config: WebConfig;
  logger: Logger;
  endpoints: KeycloakEndpoints;
  /** Server-to-Keycloak fetch: internal base URL, bounded time. */
  keycloakFetch: typeof fetch;
  store: TokenStore;
  refresher: TokenRefresher;
  sessions: SessionLookup;
  handoff: SessionHandoff;
  /** Keycloak's signing keys, for logout tokens. */
  keys: KeyResolver;
  /** What every sign-out does: delete the stored session, end it at Keycloak. */
  endStoredSession: EndStoredSession;
  /** The token store's reads so far; only with WEB_BENCH_ROUTES (`npm run bench`). */
  tokenStoreReads: (() => number) | undefined;
}

// Next.js bundles proxy.ts, route handlers and server components separately,
// so a module-level variable would exist once per bundle. A global symbol makes
// the single-flight map and the store connection truly one per process. Built
// lazily, so `next build` never needs the runtime environment.
const PARTS = Symbol.for("kc-next-strapi.auth-parts");
type Holder = { [PARTS]?: ProcessParts };

function parts(): ProcessParts {
  const holder = globalThis as Holder;
  holder[PARTS] ??= buildProcessParts(webConfig());
  return holder[PARTS];
}

function buildProcessParts(config: WebConfig): ProcessParts {
  const logger = createLogger(config.logLevel);
  const endpoints = keycloakEndpoints(config.keycloakIssuer, config.keycloakInternalUrl);
  const kcFetch = keycloakFetch(endpoints, config.upstreamTimeoutMs);
  const opened = openTokenStore(config, logger);
  const counted = config.benchRoutes ? countTokenStoreReads(opened) : undefined;
  const store = counted?.store ?? opened;

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

  // The realm's one key policy (@stack/keycloak-tokens, docs/decisions/0060):
  // keys kept while Keycloak is unreachable, refreshed in the background after
  // five minutes (a withdrawn key drops out), an unknown `kid` (a new key)
  // refetched at most every 30 s.
  const keys = new JwksKeyStore({
    jwksUrl: endpoints.jwks,
    algorithms: DEFAULT_ALGORITHMS,
    cooldownMs: 30_000,
    maxAgeMs: 5 * 60_000,
    leewayMs: 5_000,
    timeoutMs: config.upstreamTimeoutMs,
    fetch: kcFetch,
    onFetchError: (error) => logger.warn("realm_keys_fetch_failed", { reason: error instanceof Error ? error.message : "unknown" }),
  });

  const keycloakLogout = createKeycloakLogout({
    logoutEndpoint: endpoints.logout,
    clientId: config.webClientId,
    clientSecret: config.webClientSecret,
    fetch: kcFetch,
  });

  return {
    config,
    logger,
    endpoints,
    keycloakFetch: kcFetch,
    store,
    refresher,
    sessions: createSessionLookup(() => ({ config, refresher })),
    handoff: createSessionHandoff(),
    keys,
    endStoredSession: (sessionId) => endStoredSession({ store, keycloakLogout, logger }, sessionId),
    tokenStoreReads: counted?.reads,
  };
}

// Per bundle: next-auth's instance and React's request cache belong to the
// bundle that uses them; what they work with comes from the process's parts.
const nextAuth = createNextAuth(parts);
const currentSession = createCurrentSession(parts);
const signIn = createSignIn(nextAuth, parts);

export const auth = {
  ...currentSession,
  /** The CMS client's way to the session: a token per call, and the renew-once-then-end policy on 401. */
  apiAccess: createApiAccess(currentSession),
  ...signIn,
  signOut: createSignOut(parts),
  accountAction: createAccountAction(parts, currentSession, signIn),
  ...createAuthRoutes(nextAuth, parts),
  createRouteProtection: (options: RouteProtectionOptions) => createRouteProtection(options, parts),
  /** A caller-supplied `returnTo` reduced to a path on this app's origin (or `/`), for links on our own pages. */
  safeReturnPath: (input: unknown): string => safeReturnTo(input, parts().config.webUrl),
  /** The Keycloak identity providers the app offers buttons for, in order (empty when none is configured). */
  identityProviders: () => parts().config.identityProviders,
  /** The token store's reads so far, or null unless WEB_BENCH_ROUTES is on (`npm run bench` only). */
  benchTokenStoreReads: (): number | null => parts().tokenStoreReads?.() ?? null,
  /** Whether the bench-only routes answer (WEB_BENCH_ROUTES; refused outside loopback). */
  benchRoutesOn: (): boolean => parts().config.benchRoutes,
};
