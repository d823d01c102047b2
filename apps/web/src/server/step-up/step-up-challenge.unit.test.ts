import { describe, expect, it } from "vitest";
import { acrSatisfies, parseStepUpChallenge } from "./step-up-challenge";

describe("parseStepUpChallenge", () => {
  it("reads Strapi's RFC 9470 challenge", () => {
    expect(
      parseStepUpChallenge(
        'Bearer error="insufficient_user_authentication", error_description="A stronger or more recent authentication is required for this action.", acr_values="second-factor"',
      ),
    ).toEqual({ acrValues: "second-factor" });
    expect(parseStepUpChallenge('Bearer error="insufficient_user_authentication", acr_values="second-factor", max_age=300')).toEqual({
      acrValues: "second-factor",
      maxAge: 300,
    });
  });

  it("is not a step-up for other 401s or malformed values", () => {
    expect(parseStepUpChallenge(null)).toBeUndefined();
    expect(parseStepUpChallenge('Bearer realm="cms"')).toBeUndefined();
    expect(parseStepUpChallenge('Bearer error="invalid_token", error_description="expired"')).toBeUndefined();
    expect(parseStepUpChallenge('Basic error="insufficient_user_authentication", acr_values="2"')).toBeUndefined();
    // Without acr_values there is nothing to ask Keycloak for.
    expect(parseStepUpChallenge('Bearer error="insufficient_user_authentication"')).toBeUndefined();
    // Values that could smuggle other parameters into the authorization request.
    expect(parseStepUpChallenge('Bearer error="insufficient_user_authentication", acr_values="2&prompt=none"')).toBeUndefined();
    expect(parseStepUpChallenge('Bearer error="insufficient_user_authentication", acr_values="second-factor", max_age=-1')).toEqual({ acrValues: "second-factor" });
  });
});

describe("acrSatisfies", () => {
  it("compares by the realm's level order", () => {
    expect(acrSatisfies("second-factor", "second-factor")).toBe(true);
    expect(acrSatisfies("2", "second-factor")).toBe(true);
    expect(acrSatisfies("password", "second-factor")).toBe(false);
    expect(acrSatisfies("password", "password")).toBe(true);
    expect(acrSatisfies(null, "password")).toBe(false);
    expect(acrSatisfies("constructor", "second-factor")).toBe(false);
    expect(acrSatisfies("second-factor", "unknown-level")).toBe(false);
  });
});
