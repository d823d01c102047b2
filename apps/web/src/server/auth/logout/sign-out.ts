import "server-only";
import { cookies } from "next/headers";
import type { WebConfig } from "../../config/web-config";
import type { KeycloakEndpoints } from "../keycloak/keycloak-endpoints";
import type { SessionLookup } from "../session/session-lookup";
import { sessionCookieNames } from "../session/session-cookie";
import { endSessionUrl } from "./end-session-url";
import type { EndStoredSession } from "./end-stored-session";

export interface SignOutDeps {
  config: Pick<WebConfig, "webUrl" | "webClientId">;
  endpoints: Pick<KeycloakEndpoints, "endSession">;
  sessions: Pick<SessionLookup, "claims">;
  endStoredSession: EndStoredSession;
}

/**
 * Deletes the stored session and the cookie, ends the Keycloak session
 * server-side, and returns where the browser goes next: Keycloak's
 * end-session endpoint with `id_token_hint` (which also clears Keycloak's
 * cookies in this browser), or home when there was no live session to end.
 * Nothing valid is left behind if the browser never follows that redirect.
 */
export function createSignOut(deps: () => SignOutDeps): () => Promise<string> {
  return async () => {
    const { config, endpoints, sessions, endStoredSession } = deps();
    const jar = await cookies();
    const claims = await sessions.claims(jar.toString());
    const stored = claims ? await endStoredSession(claims.sessionId) : null;
    for (const name of sessionCookieNames(jar.getAll().map((cookie) => cookie.name), config)) jar.delete(name);
    if (!stored) return "/";
    return endSessionUrl(endpoints.endSession, {
      idToken: stored.tokens.idToken,
      clientId: config.webClientId,
      postLogoutRedirectUri: `${config.webUrl}/`,
    });
  };
}
