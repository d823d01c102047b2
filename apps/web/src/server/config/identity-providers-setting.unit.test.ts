// KEYCLOAK_IDENTITY_PROVIDERS: which Keycloak identity providers get sign-in and link buttons.
import { describe, expect, it } from "vitest";
import { ConfigError, loadWebConfig } from "./web-config";

const minimal = {
  WEB_URL: "http://localhost:3000",
  AUTH_SECRET: "0123456789abcdef0123456789abcdef",
  KEYCLOAK_ISSUER: "http://localhost:8080/realms/app",
  KEYCLOAK_WEB_CLIENT_SECRET: "web-secret",
  CMS_URL: "http://localhost:1337",
};

describe("KEYCLOAK_IDENTITY_PROVIDERS", () => {
  it("is empty when unset: no provider buttons", () => {
    expect(loadWebConfig(minimal).config.identityProviders).toEqual([]);
  });

  it("reads alias=Label pairs in order, the label defaulting to the alias", () => {
    const { config } = loadWebConfig({ ...minimal, KEYCLOAK_IDENTITY_PROVIDERS: " google=Google , github, mock-google=Google (mock)" });
    expect(config.identityProviders).toEqual([
      { alias: "google", label: "Google" },
      { alias: "github", label: "github" },
      { alias: "mock-google", label: "Google (mock)" },
    ]);
  });

  it("refuses an alias Keycloak could not have (it would end up in kc_idp_hint)", () => {
    expect(() => loadWebConfig({ ...minimal, KEYCLOAK_IDENTITY_PROVIDERS: "google=Google,evil alias=Evil" })).toThrow(ConfigError);
    expect(() => loadWebConfig({ ...minimal, KEYCLOAK_IDENTITY_PROVIDERS: "=Nameless" })).toThrow(/KEYCLOAK_IDENTITY_PROVIDERS/);
  });
});
