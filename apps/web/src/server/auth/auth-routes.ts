import "server-only";
import type { NextRequest } from "next/server";
import { authRuntime } from "./auth-runtime";
import { handleBackchannelLogout } from "./backchannel-logout";
import { nextAuth } from "./next-auth-instance";

/** next-auth's own endpoints under /api/auth: csrf, signin, callback, session, signout. */
export const authHandlers = {
  GET: (request: NextRequest) => nextAuth.handlers.GET(request),
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
