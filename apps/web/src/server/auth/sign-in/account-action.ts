/**
 * Keycloak's application-initiated actions the account page offers
 * (`kc_action`): change password, update profile, link a configured identity
 * provider, delete the account, add a passkey, set up an authenticator app,
 * create recovery codes. Anything else is refused.
 */
export function isAllowedAccountAction(action: unknown, identityProviders: readonly { alias: string }[]): action is string {
  if (typeof action !== "string") return false;
  if (action === "UPDATE_PASSWORD" || action === "UPDATE_PROFILE" || action === "delete_account") return true;
  // Strong authentication (docs/strong-authentication.md): a passkey, an authenticator app, recovery codes.
  if (action === "webauthn-register-passwordless" || action === "CONFIGURE_TOTP" || action === "CONFIGURE_RECOVERY_AUTHN_CODES") return true;
  const linked = /^idp_link:(.+)$/.exec(action)?.[1];
  return linked !== undefined && identityProviders.some(({ alias }) => alias === linked);
}

export type AccountActionErrorCode = "account_action_origin_refused" | "account_action_not_allowed";

/** An account action that was refused; Next.js answers the server action with an error, and nothing reaches Keycloak. */
export class AccountActionError extends Error {
  constructor(readonly code: AccountActionErrorCode) {
    super(code);
    this.name = "AccountActionError";
  }
}
