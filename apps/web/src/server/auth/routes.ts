import "server-only";
import type { KeyResolver } from "@stack/keycloak-tokens";
import type { NextRequest } from "next/server";
import type { WebConfig } from "../config/web-config";
import type { Logger } from "../log/logger";
import { handleBackchannelLogout } from "./logout/backchannel-logout";
import type { NextAuthInstance } from "./session/next-auth-instance";
import type { TokenStore } from "./store/token-store";

export interface AuthRoutesDeps {
  config: Pick<WebConfig, "keycloakIssuer" | "webClientId" | "logoutTokenMaxAgeSeconds">;
  logger: Logger;
  store: TokenStore;
  /** Keycloak's signing keys, for logout tokens. */
  keys: KeyResolver;
}

/** The auth module's route handlers (app/api/...), wired to the process's parts. */
export function createAuthRoutes(nextAuth: NextAuthInstance, deps: () => AuthRoutesDeps) {
  return {
    /**
     * next-auth's own endpoints under /api/auth: csrf, signin, callback, session,
     * signout. GET /api/auth/signout (next-auth's confirmation page, whose form
     * cleared only next-auth's cookie) is not routed: the app signs out through
     * its Sign out button, and POST /api/auth/signout ends the session fully
     * (see the `signOut` event in session/next-auth-instance.ts).
     */
    authHandlers: {
      GET: (request: NextRequest) =>
        request.nextUrl.pathname === "/api/auth/signout"
          ? new Response(null, { status: 404, headers: { "cache-control": "no-store" } })
          : nextAuth.handlers.GET(request),
      POST: (request: NextRequest) => nextAuth.handlers.POST(request),
    },

    /** POST /api/auth/backchannel-logout, called by Keycloak. */
    backchannelLogoutRoute(request: Request): Promise<Response> {
      const { config, store, logger, keys } = deps();
      return handleBackchannelLogout(request, {
        store,
        logger,
        verify: { issuer: config.keycloakIssuer, audience: config.webClientId, keys, maxAgeSeconds: config.logoutTokenMaxAgeSeconds },
      });
    },

    /** Whether the token store answers; the health route reports it. Never calls Keycloak. */
    async tokenStoreHealth(): Promise<{ ok: boolean; kind: string }> {
      const { store } = deps();
      try {
        await store.ping();
        return { ok: true, kind: store.kind };
      } catch {
        return { ok: false, kind: store.kind };
      }
    },
  };
}
