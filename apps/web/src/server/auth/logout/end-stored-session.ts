import type { Logger } from "../../log/logger";
import type { KeycloakLogout } from "./keycloak-logout";
import type { StoredSession, TokenStore } from "../store/token-store";

/** A stored session ended as every sign-out ends one (below), bound to the process's store. */
export type EndStoredSession = (sessionId: string) => Promise<StoredSession | null>;

/**
 * What every sign-out does, whichever door it came through (our button,
 * next-auth's /api/auth/signout): delete the stored session, then end its
 * Keycloak session server-side with the refresh token. Returns the session
 * that was stored (null when there was none), for the end-session redirect.
 * Keycloak being unreachable does not keep anyone signed in here: the stored
 * session is gone either way, and the browser's end-session redirect is the
 * second chance for the Keycloak session.
 */
export async function endStoredSession(
  deps: { store: TokenStore; keycloakLogout: KeycloakLogout; logger: Logger },
  sessionId: string,
): Promise<StoredSession | null> {
  const stored = await deps.store.get(sessionId);
  await deps.store.delete(sessionId);
  if (!stored) return null;
  const outcome = stored.tokens.refreshToken ? await deps.keycloakLogout(stored.tokens.refreshToken) : "unavailable";
  if (outcome === "unavailable") deps.logger.warn("keycloak_logout_unavailable", {});
  deps.logger.info("session_signed_out", { keycloak: outcome });
  return stored;
}
