import "server-only";
import type { Logger } from "../log/logger";
import { LogoutTokenError, verifyLogoutToken, type LogoutTokenOptions } from "./logout-token";
import type { TokenStore } from "./token-store";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Keycloak's back-channel logout call (OpenID Connect Back-Channel Logout 1.0
 * §2.5): a form POST with `logout_token`. Every stored session of that Keycloak
 * session (`sid`), or of the user when only `sub` is given, is deleted, so the
 * browser's next request finds no session. §2.8: 200 on success, 400 with an
 * error on a bad token (the code names the failed check, never the token).
 */
export async function handleBackchannelLogout(
  request: Request,
  deps: { store: TokenStore; logger: Logger; verify: LogoutTokenOptions },
): Promise<Response> {
  let token: unknown;
  try {
    token = (await request.formData()).get("logout_token");
  } catch {
    token = undefined;
  }
  try {
    const subject = await verifyLogoutToken(token, deps.verify);
    const removed = subject.sid ? await deps.store.deleteBySid(subject.sid) : await deps.store.deleteBySub(subject.sub!);
    deps.logger.info("backchannel_logout", { by: subject.sid ? "sid" : "sub", removed });
    return new Response(null, { status: 200, headers: NO_STORE });
  } catch (error) {
    if (!(error instanceof LogoutTokenError)) throw error;
    deps.logger.warn("backchannel_logout_rejected", { code: error.code });
    // Keys we cannot fetch are our problem, not the sender's.
    const status = error.code === "logout_token_keys_unavailable" ? 503 : 400;
    return Response.json({ error: "invalid_request", code: error.code }, { status, headers: NO_STORE });
  }
}
