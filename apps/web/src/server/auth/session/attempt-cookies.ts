import "server-only";
import { cookies } from "next/headers";
import type { WebConfig } from "../../config/web-config";
import { ATTEMPT_COOKIE_MAX_AGE_SECONDS, ATTEMPT_COOKIES, authCookies, signInAttemptId } from "./auth-cookies";

/**
 * Moves the PKCE, state and nonce cookies next-auth has just set for a sign-in
 * (in this route handler's or server action's response) to names of their own
 * for this attempt, keyed by the authorization URL's `state`, so that another
 * tab's sign-in cannot overwrite them. The callback hands them back to next-auth
 * under its own names and clears them (routes.ts, callbackOfAttempt).
 */
export async function keepPerAttempt(authorizationUrl: string, config: Pick<WebConfig, "webUrl">): Promise<void> {
  const state = new URL(authorizationUrl).searchParams.get("state");
  if (!state) return;
  const jar = await cookies();
  const shared = authCookies(config);
  const own = authCookies(config, signInAttemptId(state));
  for (const key of ATTEMPT_COOKIES) {
    const value = jar.get(shared[key].name!)?.value;
    if (!value) continue;
    jar.set(own[key].name!, value, { ...own[key].options, maxAge: ATTEMPT_COOKIE_MAX_AGE_SECONDS });
    jar.set(shared[key].name!, "", { ...shared[key].options, maxAge: 0 });
  }
}
