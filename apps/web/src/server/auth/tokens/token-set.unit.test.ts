import { describe, expect, it } from "vitest";
import { tokenSetFromResponse } from "./token-set";

describe("tokenSetFromResponse", () => {
  it("turns Keycloak's relative lifetimes into absolute times", () => {
    expect(tokenSetFromResponse({ access_token: "a", refresh_token: "r", id_token: "i", expires_in: 300, refresh_expires_in: 1800 }, 1_000)).toEqual({
      accessToken: "a",
      refreshToken: "r",
      idToken: "i",
      obtainedAt: 1_000,
      accessTokenExpiresAt: 301_000,
      refreshTokenExpiresAt: 1_801_000,
    });
  });

  it("rejects a response without an access token or a lifetime", () => {
    expect(tokenSetFromResponse({ expires_in: 300 }, 0)).toBeNull();
    expect(tokenSetFromResponse({ access_token: "a" }, 0)).toBeNull();
    expect(tokenSetFromResponse({ access_token: "a", expires_in: "soon" }, 0)).toBeNull();
  });

  it("treats refresh_expires_in 0 (offline token) as no known expiry", () => {
    expect(tokenSetFromResponse({ access_token: "a", refresh_token: "r", expires_in: 60, refresh_expires_in: 0 }, 0)?.refreshTokenExpiresAt).toBeNull();
  });
});
