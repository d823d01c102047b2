/**
 * Keycloak's OIDC endpoints for one realm. Browser-facing URLs use the public
 * issuer; server-to-Keycloak calls go to `internalUrl` when it differs (in
 * containers the public host name may not resolve from the server). The
 * tokens' `iss` stays the public issuer either way, because Keycloak's
 * hostname is pinned.
 */
export interface KeycloakEndpoints {
  issuer: string;
  /** Browser-facing: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2). */
  endSession: string;
  /** Server-facing: the same logout endpoint, called with a refresh token and the client's credentials. */
  logout: string;
  /** Server-facing. */
  token: string;
  /** Server-facing. */
  jwks: string;
  /** Maps a public Keycloak URL to the internal base; other URLs pass unchanged. */
  toInternal(url: string): string;
}

export function keycloakEndpoints(issuer: string, internalUrl: string): KeycloakEndpoints {
  const publicOrigin = new URL(issuer).origin;
  const internalBase = internalUrl.replace(/\/+$/, "");
  const toInternal = (url: string) => (url.startsWith(`${publicOrigin}/`) ? internalBase + url.slice(publicOrigin.length) : url);
  const protocol = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    endSession: `${protocol}/logout`,
    logout: toInternal(`${protocol}/logout`),
    token: toInternal(`${protocol}/token`),
    jwks: toInternal(`${protocol}/certs`),
    toInternal,
  };
}

/** A fetch for server-to-Keycloak calls: internal base, bounded time. */
export function keycloakFetch(endpoints: KeycloakEndpoints, timeoutMs: number, fetchImpl: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    if (input instanceof Request) return fetchImpl(new Request(endpoints.toInternal(url), input), { ...init, signal });
    return fetchImpl(endpoints.toInternal(url), { ...init, signal });
  };
}
