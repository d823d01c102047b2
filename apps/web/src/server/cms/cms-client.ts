import "server-only";
import { endSession, getAccessToken, isSignInUnavailable, renewAccessToken, showSignInUnavailable } from "../auth";
import { webConfig } from "../config/web-config";
import { parseStepUpChallenge, StepUpRequiredError } from "../step-up/step-up-challenge";
import { CmsError, cmsErrorForStatus } from "./cms-error";

export interface CmsRequest {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  /** `user`: the route needs a signed-in user. `optional`: public content, with the user's token when there is one. */
  auth: "user" | "optional";
}

/**
 * The one way server code calls Strapi (docs/decisions/0005-one-cms-client-renew-once.md): attaches the
 * current access token; on 401 refreshes once and retries once; a second 401
 * ends the session. When the sign-in service cannot renew an expired token,
 * user routes go to the page that says so (the session is kept) and public
 * ones are called anonymously. Returns the parsed JSON body (null for 204).
 */
export async function cmsRequest(path: string, request: CmsRequest): Promise<unknown> {
  let token = await getAccessToken();
  if (!token && request.auth === "user") {
    return (await isSignInUnavailable()) ? showSignInUnavailable() : endSession("session_not_found");
  }
  let response = await send(path, request, token);
  // RFC 9470: the token is valid but too weak for this action; no refresh helps, the session stays (server/step-up/).
  throwIfStepUp(response);
  if (response.status === 401 && token) {
    const renewed = await renewAccessToken(token);
    if (!renewed.ok) return renewed.code === "refresh_unavailable" ? showSignInUnavailable() : endSession(renewed.code);
    token = renewed.accessToken;
    response = await send(path, request, token);
    if (response.status === 401) return endSession("api_rejected_session");
  }
  if (response.status === 401) return endSession("session_not_found");
  if (!response.ok) throw cmsErrorForStatus(response.status, await errorCodeOf(response));
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    throw new CmsError("cms_invalid_response", response.status);
  }
}

function throwIfStepUp(response: Response): void {
  if (response.status !== 401) return;
  const challenge = parseStepUpChallenge(response.headers.get("www-authenticate"));
  if (challenge) throw new StepUpRequiredError(challenge);
}

/** Strapi's `error.code` (apps/cms's error bodies), read only to classify a failure. */
async function errorCodeOf(response: Response): Promise<unknown> {
  try {
    return ((await response.json()) as { error?: { code?: unknown } } | null)?.error?.code;
  } catch {
    return undefined;
  }
}

async function send(path: string, request: CmsRequest, token: string | null): Promise<Response> {
  const { cmsUrl, upstreamTimeoutMs } = webConfig();
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(`${cmsUrl}${path}`, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: "no-store",
      signal: AbortSignal.timeout(upstreamTimeoutMs),
    });
  } catch {
    throw new CmsError("cms_unavailable");
  }
}
