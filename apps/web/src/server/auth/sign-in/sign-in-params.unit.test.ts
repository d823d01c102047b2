import { describe, expect, it } from "vitest";
import { signInParams } from "./sign-in-params";

const providers = [{ alias: "google" }, { alias: "github" }];

describe("signInParams (GET /sign-in)", () => {
  it("passes registration and a configured provider hint", () => {
    expect(signInParams(new URLSearchParams({ prompt: "create", kc_idp_hint: "google" }), providers)).toEqual({ prompt: "create", kc_idp_hint: "google" });
  });

  it("never passes an account action, whatever its value", () => {
    for (const action of ["idp_link:github", "UPDATE_PASSWORD", "UPDATE_PROFILE", "delete_account"]) {
      expect(signInParams(new URLSearchParams({ kc_action: action }), providers)).toEqual({});
    }
  });

  it("drops a hint for a provider the app does not offer, other prompts, and parameters the server owns", () => {
    const query = new URLSearchParams({
      kc_idp_hint: "saml-elsewhere",
      prompt: "none",
      redirect_uri: "https://evil.example/cb",
      scope: "openid offline_access",
      login_hint: "victim@example.com",
      ui_locales: "de",
    });
    expect(signInParams(query, providers)).toEqual({});
    expect(signInParams(new URLSearchParams({ kc_idp_hint: "google" }), [])).toEqual({});
  });
});
