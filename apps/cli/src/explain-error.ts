// One message per failure a user can meet, saying what happened and what to do.
import { ClientError, ResponseBodyError, type WWWAuthenticateChallenge, WWWAuthenticateChallengeError } from "openid-client";
import { CliError } from "./token-store.ts";

const LOGIN_AGAIN = "Run: notes-cli login";

export function explainError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof WWWAuthenticateChallengeError) return explainChallenge(error.status, error.cause);
  if (error instanceof ResponseBodyError) return explainTokenEndpoint(error.error, error.error_description);
  if (error instanceof ClientError) return `Keycloak's answer was not acceptable: ${error.message}`;
  if (error instanceof TypeError && error.message === "fetch failed") return `A server could not be reached (${(error.cause as Error | undefined)?.message ?? "network error"}).`;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

/** The API's 401/403 challenge (RFC 6750 §3, RFC 9449 §7.1). */
function explainChallenge(status: number, challenges: readonly WWWAuthenticateChallenge[]): string {
  const challenge = challenges.find((c) => c.parameters.error) ?? challenges[0];
  const code = challenge?.parameters.error;
  const detail = challenge?.parameters.error_description ? ` (${challenge.parameters.error_description})` : "";
  switch (code) {
    case "invalid_token":
      return `The API refused the access token${detail}: it expired, was revoked, or your session ended. ${LOGIN_AGAIN}`;
    case "insufficient_scope":
      return `The API needs the scope "${challenge?.parameters.scope ?? "?"}", which your token lacks${detail}. Log in again asking for it: notes-cli login --scope "openid ${challenge?.parameters.scope ?? ""}"`.trimEnd();
    case "invalid_dpop_proof":
      return `The API refused the DPoP proof${detail}. Check this machine's clock, and that --api-url is the address the API is reached at.`;
    case "insufficient_user_authentication":
      return `The API wants a stronger sign-in for this${detail}. ${LOGIN_AGAIN}`;
    case undefined:
      return status === 401 ? `The API wants a token (401 Unauthorized). ${LOGIN_AGAIN}` : `The API refused (${status}).`;
    default:
      return `The API refused (${status} ${code})${detail}.`;
  }
}

/** Keycloak's token endpoint errors (RFC 6749 §5.2, RFC 8628 §3.5). */
function explainTokenEndpoint(code: string, description: string | undefined): string {
  const detail = description ? ` (${description})` : "";
  switch (code) {
    case "invalid_grant":
      return `Your sign-in is no longer valid${detail}: it expired or was revoked. ${LOGIN_AGAIN}`;
    case "expired_token":
      return `The code expired before it was approved. ${LOGIN_AGAIN}`;
    case "access_denied":
      return "The sign-in was denied in the browser.";
    case "unauthorized_client":
    case "invalid_client":
      return `Keycloak does not let this client use the device flow${detail}. Check --client-id.`;
    default:
      return `Keycloak refused: ${code}${detail}.`;
  }
}
