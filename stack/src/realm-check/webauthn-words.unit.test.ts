import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { realmFile } from "../keycloak/keycloak-server.ts";
import { formatDifference } from "./format-differences.ts";
import { unknownWebAuthnWords } from "./webauthn-words.ts";

describe("unknownWebAuthnWords", () => {
  it("reports a word the browser would ignore (Keycloak stores it as given), for either policy", () => {
    const found = unknownWebAuthnWords({
      webAuthnPolicyPasswordlessResidentKey: "Required",
      webAuthnPolicyPasswordlessUserVerificationRequirement: "required",
      webAuthnPolicyAuthenticatorAttachment: "Platform",
    });
    expect(found.map((difference) => difference.path)).toEqual(["webAuthnPolicyAuthenticatorAttachment", "webAuthnPolicyPasswordlessResidentKey"]);
    expect(formatDifference(found[1]!)).toBe(
      'changed    webAuthnPolicyPasswordlessResidentKey: Required is not one of "not specified", "discouraged", "preferred", "required" (browsers ignore other words)',
    );
  });

  it("accepts Keycloak's defaults and the spec's words", () => {
    expect(unknownWebAuthnWords({ webAuthnPolicyRequireResidentKey: "not specified", webAuthnPolicyPasswordlessRequireResidentKey: "Yes", webAuthnPolicyPasswordlessResidentKey: "required" })).toEqual([]);
  });

  it("finds nothing in keycloak/realm-export.json", () => {
    expect(unknownWebAuthnWords(JSON.parse(readFileSync(realmFile, "utf8")) as Record<string, unknown>)).toEqual([]);
  });
});
