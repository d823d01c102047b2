// Keycloak keeps the WebAuthn policy's words exactly as the realm file gives
// them and hands them to its login page's script, which passes them on to the
// browser. The browser knows only the WebAuthn spec's lowercase words and drops
// any other: "Required" for a resident key silently means "not required", and
// the live realm matches the file, so a plain comparison cannot see it.
import type { Difference } from "./realm-diff.ts";

/** The words each setting accepts (Keycloak 26's login script and the WebAuthn spec). */
const WORDS: Readonly<Record<string, readonly string[]>> = {
  ResidentKey: ["not specified", "discouraged", "preferred", "required"],
  UserVerificationRequirement: ["not specified", "discouraged", "preferred", "required"],
  AttestationConveyancePreference: ["not specified", "none", "indirect", "direct", "enterprise"],
  AuthenticatorAttachment: ["not specified", "platform", "cross-platform"],
  // Keycloak's own older option, in its own words.
  RequireResidentKey: ["not specified", "Yes", "No"],
};

/** The WebAuthn policy settings (two-factor and passwordless) whose word the browser would not understand. */
export function unknownWebAuthnWords(realm: Readonly<Record<string, unknown>>): Difference[] {
  const found: Difference[] = [];
  for (const policy of ["webAuthnPolicy", "webAuthnPolicyPasswordless"]) {
    for (const [setting, words] of Object.entries(WORDS)) {
      const path = `${policy}${setting}`;
      const value = realm[path];
      if (value === undefined || (typeof value === "string" && words.includes(value))) continue;
      found.push({ path, kind: "changed", actual: value, reason: `is not one of ${words.map((word) => JSON.stringify(word)).join(", ")} (browsers ignore other words)` });
    }
  }
  return found;
}
