/**
 * Extra authorization-request parameters a sign-in may carry to Keycloak.
 * An allow-list: anything else (redirect_uri, scope, response_type, ...) is
 * fixed by the server and never taken from the request.
 */
export interface SignInParams {
  /** `login` forces the credentials form; `create` opens registration (Keycloak 26.1+); `consent` re-asks consent. */
  prompt?: "login" | "create" | "consent";
  /** Skips Keycloak's choice page and goes straight to one identity provider (its alias). */
  kc_idp_hint?: string;
  /** Application-initiated action, e.g. `UPDATE_PASSWORD`, `UPDATE_PROFILE`, `idp_link:google`, `delete_account`. */
  kc_action?: string;
  /** Prefills the username field. */
  login_hint?: string;
  /** Preferred languages of Keycloak's pages (OIDC Core §3.1.2.1). */
  ui_locales?: string;
}

const RULES: { [K in keyof Required<SignInParams>]: RegExp } = {
  // `none` (silent sign-in) and `select_account` are not offered: a failed silent
  // sign-in returns an error the app would have to handle as a separate flow.
  prompt: /^(login|create|consent)$/,
  kc_idp_hint: /^[A-Za-z0-9._-]{1,64}$/,
  kc_action: /^[A-Za-z0-9_:.-]{1,64}$/,
  login_hint: /^[^\s<>"']{1,254}$/,
  ui_locales: /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*( [A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*)*$/,
};

/** Keeps the allowed, well-formed parameters of `source`; drops the rest silently. */
export function signInParams(source: URLSearchParams | Record<string, unknown>): SignInParams {
  const read = (name: string): unknown => (source instanceof URLSearchParams ? source.get(name) : source[name]);
  const result: Record<string, string> = {};
  for (const [name, rule] of Object.entries(RULES)) {
    const value = read(name);
    if (typeof value === "string" && rule.test(value)) result[name] = value;
  }
  return result as SignInParams;
}
