import "server-only";
import { apiAccess } from "../auth";
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
 * The one way server code calls Strapi (docs/decisions/0005-one-cms-client-renew-once.md): asks auth for
 * the current access token and reports a 401 back; auth decides what follows
 * (renew once and retry, or end the session, or the "sign-in service
 * unavailable" page for user routes while public ones go anonymous).
 * Returns the parsed JSON body (null for 204).
 */
export async function cmsRequest(path: string, request: CmsRequest): Promise<unknown> {
  const access = await apiAccess(request.auth);
  let response = await send(path, request, access.token);
  // RFC 9470: the token is valid but too weak for this action; no refresh helps, the session stays (server/step-up/).
  throwIfStepUp(response);
  // Auth hands out a new token at most once per call; the next 401 ends the session (and does not return).
  while (response.status === 401) {
    response = await send(path, request, await access.rejected());
    throwIfStepUp(response);
  }
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
