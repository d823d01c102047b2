import "server-only";
import { cookies } from "next/headers";
import { authRuntime } from "./auth-runtime";
import { endSessionUrl } from "./end-session-url";
import { readSessionClaims, sessionCookieNames } from "./session-cookie";

/**
 * Deletes the stored session and the cookie, and returns where the browser
 * goes next: Keycloak's end-session endpoint with `id_token_hint` (so the
 * Keycloak session ends too and the next sign-in asks for credentials), or
 * home when there was no live session to end.
 */
export async function signOut(): Promise<string> {
  const { config, store, endpoints, logger } = authRuntime();
  const jar = await cookies();
  const claims = await readSessionClaims(jar.toString(), config);
  const stored = claims ? await store.get(claims.sessionId) : null;
  if (claims) await store.delete(claims.sessionId);
  for (const name of sessionCookieNames(jar.getAll().map((cookie) => cookie.name), config)) jar.delete(name);
  if (!stored) return "/";
  logger.info("session_signed_out", {});
  return endSessionUrl(endpoints.endSession, {
    idToken: stored.tokens.idToken,
    clientId: config.webClientId,
    postLogoutRedirectUri: `${config.webUrl}/`,
  });
}
