/**
 * Keycloak's end-session URL (OpenID Connect RP-Initiated Logout 1.0 §2).
 * With `id_token_hint` Keycloak ends the SSO session without asking; without
 * it, Keycloak asks the user to confirm, so the client id is sent instead.
 * `post_logout_redirect_uri` must be registered on the client exactly.
 */
export function endSessionUrl(endSessionEndpoint: string, options: { idToken: string | null; clientId: string; postLogoutRedirectUri: string }): string {
  const url = new URL(endSessionEndpoint);
  if (options.idToken) url.searchParams.set("id_token_hint", options.idToken);
  else url.searchParams.set("client_id", options.clientId);
  url.searchParams.set("post_logout_redirect_uri", options.postLogoutRedirectUri);
  return url.toString();
}
