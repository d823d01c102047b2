import { ResponseBodyError, WWWAuthenticateChallengeError } from "openid-client";
import { describe, expect, it } from "vitest";
import { explainError } from "./explain-error.ts";
import { CliError } from "./token-store.ts";

/** What oauth4webapi throws for a 401/403 carrying a WWW-Authenticate challenge. */
function challenge(status: number, scheme: Lowercase<string>, parameters: Record<string, string>): WWWAuthenticateChallengeError {
  return new WWWAuthenticateChallengeError("challenge", { cause: [{ scheme, parameters }], response: new Response(null, { status }) });
}

function tokenError(error: string, error_description?: string): ResponseBodyError {
  return new ResponseBodyError("token endpoint", { cause: { error, error_description }, response: new Response(null, { status: 400 }) });
}

describe("explainError", () => {
  it("passes the CLI's own errors through", () => {
    expect(explainError(new CliError("Not logged in. Run: notes-cli login"))).toBe("Not logged in. Run: notes-cli login");
  });

  it("explains the API's challenges and says what to do", () => {
    expect(explainError(challenge(401, "dpop", { error: "invalid_token", error_description: "token expired" }))).toBe(
      "The API refused the access token (token expired): it expired, was revoked, or your session ended. Run: notes-cli login",
    );
    expect(explainError(challenge(403, "bearer", { error: "insufficient_scope", scope: "notes:write" }))).toBe(
      'The API needs the scope "notes:write", which your token lacks. Log in again asking for it: notes-cli login --scope "openid notes:write"',
    );
    expect(explainError(challenge(401, "dpop", { error: "invalid_dpop_proof", error_description: "htu mismatch" }))).toMatch(/^The API refused the DPoP proof \(htu mismatch\)\. Check this machine's clock/);
    expect(explainError(challenge(401, "bearer", { error: "insufficient_user_authentication" }))).toMatch(/stronger sign-in/);
    expect(explainError(challenge(401, "bearer", { realm: "api" }))).toBe("The API wants a token (401 Unauthorized). Run: notes-cli login");
    expect(explainError(challenge(401, "bearer", { error: "something_new" }))).toBe("The API refused (401 something_new).");
  });

  it("explains Keycloak's token endpoint errors", () => {
    expect(explainError(tokenError("invalid_grant", "Token is not active"))).toBe(
      "Your sign-in is no longer valid (Token is not active): it expired or was revoked. Run: notes-cli login",
    );
    expect(explainError(tokenError("expired_token"))).toBe("The code expired before it was approved. Run: notes-cli login");
    expect(explainError(tokenError("access_denied"))).toBe("The sign-in was denied in the browser.");
    expect(explainError(tokenError("unauthorized_client", "Client is not allowed to initiate OAuth 2.0 Device Authorization Grant"))).toMatch(/does not let this client use the device flow/);
  });

  it("names an unreachable server and anything else", () => {
    expect(explainError(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8080") }))).toBe(
      "A server could not be reached (connect ECONNREFUSED 127.0.0.1:8080).",
    );
    expect(explainError(new Error("boom"))).toBe("Unexpected error: boom");
  });
});
