import "server-only";
import type { Logger } from "../../log/logger";
import { LogoutTokenError, verifyLogoutToken, type LogoutTokenErrorCode, type LogoutTokenOptions } from "./logout-token";
import { readLimitedBody } from "./limited-body";
import type { TokenStore } from "../store/token-store";

const NO_STORE = { "cache-control": "no-store" };
/** A logout token is well under 2 KiB; anything past this is refused before it is read further or parsed. */
export const MAX_LOGOUT_REQUEST_BYTES = 8 * 1024;

type RequestErrorCode = "logout_request_too_large" | "logout_request_malformed";

/**
 * Keycloak's back-channel logout call (OpenID Connect Back-Channel Logout 1.0
 * §2.5): a form POST with `logout_token`. Every stored session of that Keycloak
 * session (`sid`), or of the user when only `sub` is given, is deleted, so the
 * browser's next request finds no session. §2.8: 200 on success, 400 with an
 * error on a bad request or token (the code names the failed check, never the
 * token). A token is accepted once (§2.6 step 8): its `jti` is kept in the
 * token store, shared by every instance, until the token expires.
 */
export async function handleBackchannelLogout(
  request: Request,
  deps: { store: TokenStore; logger: Logger; verify: LogoutTokenOptions },
): Promise<Response> {
  const body = await readLimitedBody(request, MAX_LOGOUT_REQUEST_BYTES);
  if (!body.ok) return refuse(deps.logger, "logout_request_too_large");
  // §2.5: the token comes form-encoded; nothing else is parsed.
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) return refuse(deps.logger, "logout_request_malformed");
  const token = new URLSearchParams(body.text).get("logout_token") ?? undefined;
  try {
    const verified = await verifyLogoutToken(token, deps.verify);
    if (!(await deps.store.rememberLogoutToken(verified.jti, verified.expiresAt))) throw new LogoutTokenError("logout_token_replayed");
    const removed = verified.sid ? await deps.store.deleteBySid(verified.sid) : await deps.store.deleteBySub(verified.sub!);
    deps.logger.info("backchannel_logout", { by: verified.sid ? "sid" : "sub", removed });
    return new Response(null, { status: 200, headers: NO_STORE });
  } catch (error) {
    if (!(error instanceof LogoutTokenError)) throw error;
    return refuse(deps.logger, error.code);
  }
}

function refuse(logger: Logger, code: LogoutTokenErrorCode | RequestErrorCode): Response {
  logger.warn("backchannel_logout_rejected", { code });
  // Keys we cannot fetch are our problem, not the sender's.
  const status = code === "logout_token_keys_unavailable" ? 503 : 400;
  return Response.json({ error: "invalid_request", code }, { status, headers: NO_STORE });
}
