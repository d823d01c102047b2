import "server-only";
import type { KeyResolver } from "@stack/keycloak-tokens";
import { NextRequest, NextResponse } from "next/server";
import type { WebConfig } from "../config/web-config";
import type { Logger } from "../log/logger";
import { handleBackchannelLogout } from "./logout/backchannel-logout";
import { authCookies, callbackCookieHeader } from "./session/auth-cookies";
import type { NextAuthInstance } from "./session/next-auth-instance";
import type { TokenStore } from "./store/token-store";

export interface AuthRoutesDeps {
  config: Pick<WebConfig, "keycloakIssuer" | "webClientId" | "logoutTokenMaxAgeSeconds" | "webUrl">;
  logger: Logger;
  store: TokenStore;
  /** Keycloak's signing keys, for logout tokens. */
  keys: KeyResolver;
}

/** The auth module's route handlers (app/api/...), wired to the process's parts. */
export function createAuthRoutes(nextAuth: NextAuthInstance, deps: () => AuthRoutesDeps) {
  /**
   * A sign-in callback, handed the PKCE, state and nonce cookies of the attempt
   * it completes (kept per attempt since its start: session/attempt-cookies.ts),
   * so that two tabs signing in at once both complete; those cookies are cleared.
   */
  async function callbackOfAttempt(request: NextRequest): Promise<Response> {
    const { config } = deps();
    const state = request.nextUrl.searchParams.get("state");
    if (!state) return nextAuth.handlers.GET(request);
    const { cookieHeader, consumed } = callbackCookieHeader(request.headers.get("cookie") ?? "", state, config);
    if (consumed.length === 0) return nextAuth.handlers.GET(request);
    const headers = new Headers(request.headers);
    headers.set("cookie", cookieHeader);
    const response = await nextAuth.handlers.GET(new NextRequest(request.url, { method: "GET", headers }));
    const cleared = new NextResponse(response.body, response);
    // The attributes they were set with (attempt-cookies.ts), so the browser drops exactly them.
    const { options } = authCookies(config).state;
    for (const name of consumed) cleared.cookies.set(name, "", { ...options, maxAge: 0 });
    return cleared;
  }

  return {
    /**
     * next-auth's own endpoints under /api/auth: csrf, signin, callback, session,
     * signout. GET /api/auth/signout (next-auth's confirmation page, whose form
     * cleared only next-auth's cookie) is not routed: the app signs out through
     * its Sign out button, and POST /api/auth/signout ends the session fully
     * (see the `signOut` event in session/next-auth-instance.ts).
     */
    authHandlers: {
      GET: (request: NextRequest) => {
        const { pathname } = request.nextUrl;
        if (pathname === "/api/auth/signout") return new Response(null, { status: 404, headers: { "cache-control": "no-store" } });
        if (pathname.startsWith("/api/auth/callback/")) return callbackOfAttempt(request);
        return nextAuth.handlers.GET(request);
      },
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
