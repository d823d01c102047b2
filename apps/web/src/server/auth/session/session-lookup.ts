import "server-only";
import type { WebConfig } from "../../config/web-config";
import type { SessionUnavailableCode } from "../auth-error";
import type { TokenRefresher } from "../tokens/token-refresher";
import type { SessionClaims } from "./session-claims";
import { readSessionClaims } from "./session-cookie";

/**
 * A live session as the app uses it: who (the cookie's claims) and the
 * current access token. Never the refresh or ID token: those stay in the store.
 */
export type ActiveSession =
  | { claims: SessionClaims; accessToken: string; unavailable?: undefined }
  /** Signed in, but the access token has expired and Keycloak cannot renew it now; the session is kept. */
  | { claims: SessionClaims; accessToken?: undefined; unavailable: SessionUnavailableCode };

export interface SessionLookup {
  /** The claims of the session cookie in a Cookie header; null when absent, forged, expired or under another secret. */
  claims(cookieHeader: string): Promise<SessionClaims | null>;
  /**
   * The one place that decides whether a signed-in browser has a live session:
   * reads the stored session (one token-store read), refreshing its tokens
   * first when due. Null when the session has ended (the cookie should go).
   */
  resolve(claims: SessionClaims): Promise<ActiveSession | null>;
}

/**
 * The way into the current session, shared by the proxy, the next-auth
 * callback and (when the proxy handed nothing over) the render.
 */
export function createSessionLookup(deps: () => { config: Pick<WebConfig, "webUrl" | "authSecret">; refresher: Pick<TokenRefresher, "fresh"> }): SessionLookup {
  return {
    claims: (cookieHeader) => readSessionClaims(cookieHeader, deps().config),
    async resolve(claims) {
      const fresh = await deps().refresher.fresh(claims.sessionId);
      if (fresh.ok) return { claims, accessToken: fresh.session.tokens.accessToken };
      return fresh.code === "refresh_unavailable" ? { claims, unavailable: fresh.code } : null;
    },
  };
}
