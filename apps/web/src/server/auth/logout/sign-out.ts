import "server-only";
import { cookies } from "next/headers";
import { authRuntime } from "../wiring";
import { endSessionUrl } from "./end-session-url";
import { endStoredSession } from "./end-stored-session";
import { readSessionClaims, sessionCookieNames } from "../session/session-cookie";

/**
 * Deletes the stored session and the cookie, ends the Keycloak session
 * server-side, and returns where the browser goes next: Keycloak's
 * end-session endpoint with `id_token_hint` (which also clears Keycloak's
 * cookies in this browser), or home when there was no live session to end.
 * Nothing valid is left behind if the browser never follows that redirect.
 */
export async function signOut(): Promise<string> {
  const runtime = authRuntime();
  const { config, endpoints } = runtime;
  const jar = await cookies();
  const claims = await readSessionClaims(jar.toString(), config);
  const stored = claims ? await endStoredSession(runtime, claims.sessionId) : null;
  for (const name of sessionCookieNames(jar.getAll().map((cookie) => cookie.name), config)) jar.delete(name);
  if (!stored) return "/";
  return endSessionUrl(endpoints.endSession, {
    idToken: stored.tokens.idToken,
    clientId: config.webClientId,
    postLogoutRedirectUri: `${config.webUrl}/`,
  });
}
