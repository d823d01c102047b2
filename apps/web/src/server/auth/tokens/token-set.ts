/** What the token store keeps for one session. Times are epoch milliseconds. */
export interface TokenSet {
  accessToken: string;
  /** Null when Keycloak issued none; the session then ends when the access token does. */
  refreshToken: string | null;
  /** Needed as `id_token_hint` at sign-out. */
  idToken: string | null;
  accessTokenExpiresAt: number;
  /** When this set was obtained; with `accessTokenExpiresAt` it gives the token's lifetime. */
  obtainedAt: number;
  /** From Keycloak's `refresh_expires_in` (SSO idle timeout, capped by the maximum lifespan); null when not sent. */
  refreshTokenExpiresAt: number | null;
}

/** The fields of an OAuth 2.0 token response (RFC 6749 §5.1) plus Keycloak's `refresh_expires_in`. */
export interface TokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  id_token?: unknown;
  expires_in?: unknown;
  refresh_expires_in?: unknown;
}

/**
 * Builds a token set from a token response; returns null when the response is
 * unusable. On refresh, Keycloak may omit the ID token or (without rotation)
 * the refresh token: the previous ones stay valid then.
 */
export function tokenSetFromResponse(body: TokenResponse, now: number, previous?: TokenSet): TokenSet | null {
  if (typeof body.access_token !== "string" || body.access_token.length === 0) return null;
  const expiresIn = Number(body.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) return null;
  const refreshExpiresIn = Number(body.refresh_expires_in);
  const refreshToken = typeof body.refresh_token === "string" ? body.refresh_token : (previous?.refreshToken ?? null);
  return {
    accessToken: body.access_token,
    refreshToken,
    idToken: typeof body.id_token === "string" ? body.id_token : (previous?.idToken ?? null),
    accessTokenExpiresAt: now + expiresIn * 1000,
    obtainedAt: now,
    // Keycloak sends 0 for offline tokens, which do not idle out.
    refreshTokenExpiresAt:
      Number.isFinite(refreshExpiresIn) && refreshExpiresIn > 0
        ? now + refreshExpiresIn * 1000
        : refreshToken === previous?.refreshToken
          ? (previous?.refreshTokenExpiresAt ?? null)
          : null,
  };
}
