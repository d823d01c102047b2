/**
 * Extra authorization-request parameters a sign-in may carry to Keycloak.
 * Anything else (redirect_uri, scope, response_type, ...) is fixed by the
 * server and never taken from the request.
 */
export interface SignInParams {
  /** `create` opens registration (OpenID Connect Prompt Create; Keycloak 26.1+). */
  prompt?: "create";
  /** Skips Keycloak's choice page and goes straight to one identity provider (its alias). */
  kc_idp_hint?: string;
  /**
   * Application-initiated action (`UPDATE_PASSWORD`, `idp_link:google`, ...).
   * Never read from a URL: only the account-action server action sets it
   * (see account-action.ts), after its origin check and allow-list.
   */
  kc_action?: string;
  /** Step-up (server/step-up/): the level of authentication the API asked for, from its RFC 9470 challenge. */
  acr_values?: string;
  /** Step-up: at most this many seconds since the person last authenticated. */
  max_age?: string;
}

/**
 * What a plain GET /sign-in may ask for: registration, and a provider the app
 * offers a button for. A link on another site can start a sign-in, but never
 * an account action (password, profile, link a provider, delete the account)
 * nor an unoffered provider.
 */
export function signInParams(source: URLSearchParams, identityProviders: readonly { alias: string }[]): SignInParams {
  const result: SignInParams = {};
  if (source.get("prompt") === "create") result.prompt = "create";
  const hint = source.get("kc_idp_hint");
  if (hint !== null && identityProviders.some(({ alias }) => alias === hint)) result.kc_idp_hint = hint;
  return result;
}
