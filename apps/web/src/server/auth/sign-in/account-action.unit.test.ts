import { describe, expect, it } from "vitest";
import { isAllowedAccountAction } from "./account-action";

const providers = [{ alias: "google" }, { alias: "github" }];

describe("account actions", () => {
  it("allows password, profile, account deletion and linking a configured provider", () => {
    for (const action of ["UPDATE_PASSWORD", "UPDATE_PROFILE", "delete_account", "idp_link:google", "idp_link:github"]) {
      expect(isAllowedAccountAction(action, providers), action).toBe(true);
    }
  });

  it("refuses every other action, an unconfigured provider, and non-strings", () => {
    for (const action of ["UPDATE_EMAIL", "CONFIGURE_TOTP", "idp_link:saml", "idp_link:", "update_password", "UPDATE_PASSWORD ", 5, undefined]) {
      expect(isAllowedAccountAction(action, providers), String(action)).toBe(false);
    }
  });
});

