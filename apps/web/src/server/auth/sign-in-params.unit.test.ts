import { describe, expect, it } from "vitest";
import { signInParams } from "./sign-in-params";

describe("signInParams", () => {
  it("passes the allow-listed Keycloak parameters", () => {
    const query = new URLSearchParams({
      prompt: "create",
      kc_idp_hint: "google",
      kc_action: "idp_link:github",
      login_hint: "alice@example.com",
      ui_locales: "de en-GB",
    });
    expect(signInParams(query)).toEqual(Object.fromEntries(query));
  });

  it("drops parameters the server owns, and malformed values", () => {
    expect(
      signInParams({
        redirect_uri: "https://evil.example/cb",
        scope: "openid offline_access",
        response_type: "token",
        client_id: "other",
        prompt: "none",
        kc_action: "UPDATE_PASSWORD&redirect_uri=x",
        kc_idp_hint: "../../admin",
        login_hint: "<script>",
      }),
    ).toEqual({});
  });

  it("accepts an object with non-string values by ignoring them", () => {
    expect(signInParams({ prompt: ["login"], kc_action: 5, kc_idp_hint: "github" })).toEqual({ kc_idp_hint: "github" });
  });
});
