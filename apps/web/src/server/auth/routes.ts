import "server-only";
import type { NextRequest } from "next/server";
import { authRuntime } from "./wiring";
import { handleBackchannelLogout } from "./backchannel-logout";
import { nextAuth } from "./session/next-auth-instance";

/**
 * next-auth's own endpoints under /api/auth: csrf, signin, callback, session,
 * signout. GET /api/auth/signout (next-auth's confirmation page, whose form
 * cleared only next-auth's cookie) is not routed: the app signs out through
 * its Sign out button, and POST /api/auth/signout ends the session fully
 * (see the `signOut` event in next-auth-instance.ts).
 */
export const authHandlers = {
  GET: (request: NextRequest) =>
    request.nextUrl.pathname === "/api/auth/signout"
      ? new Response(null, { status: 404, headers: { "cache-control": "no-store" } })
      : nextAuth.handlers.GET(request),
  POST: (request: NextRequest) => nextAuth.handlers.POST(request),
};

/** POST /api/auth/backchannel-logout, called by Keycloak. */
export function backchannelLogoutRoute(request: Request): Promise<Response> {
  const { config, store, logger, keys } = authRuntime();
  return handleBackchannelLogout(request, {
    store,
    logger,
    verify: { issuer: config.keycloakIssuer, audience: config.webClientId, keys, maxAgeSeconds: config.logoutTokenMaxAgeSeconds },
  });
}

/** Whether the token store answers; the health route reports it. Never calls Keycloak. */
export async function tokenStoreHealth(): Promise<{ ok: boolean; kind: string }> {
  const { store } = authRuntime();
  try {
    await store.ping();
    return { ok: true, kind: store.kind };
  } catch {
    return { ok: false, kind: store.kind };
  }
}
