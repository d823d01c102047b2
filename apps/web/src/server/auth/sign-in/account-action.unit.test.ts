import { describe, expect, it } from "vitest";
import { isAllowedAccountAction } from "./account-action";

const providers = [{ alias: "google" }, { alias: "github" }];

describe("account actions", () => {
  it("allows password, profile, account deletion and linking a configured provider", () => {
    for (const action of ["UPDATE_PASSWORD", "UPDATE_PROFILE", "delete_account", "idp_link:google", "idp_link:github"]) {
      expect(isAllowedAccountAction(action, providers), action).toBe(true);
    }
  });

  it("allows adding a passkey, setting up an authenticator app and creating recovery codes", () => {
    for (const action of ["webauthn-register-passwordless", "CONFIGURE_TOTP", "CONFIGURE_RECOVERY_AUTHN_CODES"]) {
      expect(isAllowedAccountAction(action, providers), action).toBe(true);
    }
  });

  it("refuses every other action, an unconfigured provider, and non-strings", () => {
    // CONFIGURE_TOTP moved to the allowed list with strong authentication (docs/strong-authentication.md);
    // removing a credential stays on Keycloak's own pages.
    for (const action of ["UPDATE_EMAIL", "delete_credential", "webauthn-register", "configure_totp", "idp_link:saml", "idp_link:", "update_password", "UPDATE_PASSWORD ", 5, undefined]) {
      expect(isAllowedAccountAction(action, providers), String(action)).toBe(false);
    }
  });
});

