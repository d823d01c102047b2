import "server-only";
import type { SessionEndCode, SessionUnavailableCode } from "../auth-error";
import { tokenSetFromResponse, type TokenResponse, type TokenSet } from "./token-set";

export type RefreshOutcome =
  | { ok: true; tokens: TokenSet }
  | { ok: false; code: Extract<SessionEndCode, "refresh_token_rejected" | "refresh_client_rejected"> | SessionUnavailableCode };

/** One refresh at Keycloak's token endpoint; never throws. */
export type RefreshTokenGrant = (previous: TokenSet & { refreshToken: string }) => Promise<RefreshOutcome>;

export interface RefreshTokenGrantOptions {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  now: () => number;
}

/**
 * The refresh_token grant (RFC 6749 §6) for a confidential client. With
 * rotation on (`revokeRefreshToken`), every success returns a new refresh
 * token and revokes the one sent: callers must store the result before anyone
 * else may refresh, which is the token refresher's job.
 */
export function createRefreshTokenGrant(options: RefreshTokenGrantOptions): RefreshTokenGrant {
  return async (previous) => {
    let response: Response;
    try {
      response = await options.fetch(options.tokenEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: previous.refreshToken,
          client_id: options.clientId,
          client_secret: options.clientSecret,
        }),
        cache: "no-store",
      });
    } catch {
      return { ok: false, code: "refresh_unavailable" };
    }
    const body = (await response.json().catch(() => null)) as (TokenResponse & { error?: unknown }) | null;
    if (response.ok) {
      const tokens = body ? tokenSetFromResponse(body, options.now(), previous) : null;
      return tokens ? { ok: true, tokens } : { ok: false, code: "refresh_unavailable" };
    }
    // RFC 6749 §5.2: invalid_grant means this refresh token is dead (revoked,
    // expired, session ended, user disabled); invalid_client means our credentials are.
    const error = body?.error;
    if (error === "invalid_grant") return { ok: false, code: "refresh_token_rejected" };
    if (error === "invalid_client" || error === "unauthorized_client") return { ok: false, code: "refresh_client_rejected" };
    return { ok: false, code: "refresh_unavailable" };
  };
}
