export type KeycloakLogoutOutcome =
  /** Keycloak ended the user session (204). */
  | "ended"
  /** Keycloak refused the refresh token (`invalid_grant`): its session had ended already. */
  | "already_ended"
  /** No usable answer (network, timeout, 5xx, our credentials refused); the session may still be alive at Keycloak. */
  | "unavailable";

/** Ends, at Keycloak, the user session a refresh token belongs to; never throws. */
export type KeycloakLogout = (refreshToken: string) => Promise<KeycloakLogoutOutcome>;

export interface KeycloakLogoutOptions {
  /** Keycloak's logout endpoint, server-facing. */
  logoutEndpoint: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
}

/**
 * Server-side logout: a POST of the refresh token to Keycloak's logout
 * endpoint with the confidential client's credentials. Keycloak then ends the
 * whole user session (SSO cookie, every client's session, back-channel logout
 * to the other clients), which RFC 7009 revocation of the refresh token does
 * not promise. So sign-out no longer depends on the browser following the
 * redirect to the end-session page: the stored refresh token is dead and the
 * next sign-in asks for credentials either way.
 */
export function createKeycloakLogout(options: KeycloakLogoutOptions): KeycloakLogout {
  return async (refreshToken) => {
    let response: Response;
    try {
      response = await options.fetch(options.logoutEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, refresh_token: refreshToken }),
        cache: "no-store",
      });
    } catch {
      return "unavailable";
    }
    if (response.status === 204 || response.status === 200) return "ended";
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    return body?.error === "invalid_grant" ? "already_ended" : "unavailable";
  };
}
