import "server-only";
import { authRuntime } from "./auth-runtime";
import { nextAuth } from "./next-auth-instance";
import { isPageNavigation } from "./page-navigation";
import { safeReturnTo } from "./safe-return-to";
import { signInParams, type SignInParams } from "./sign-in-params";

export interface SignInOptions {
  /** Path to land on after sign-in; anything not on our origin becomes `/`. */
  returnTo?: string;
  /** Allow-listed extras for Keycloak (`prompt=create` opens registration, `kc_action`, `kc_idp_hint`, ...). */
  params?: SignInParams;
}

/**
 * Starts the authorization-code flow and returns Keycloak's authorization URL.
 * next-auth sets the PKCE, state and nonce cookies through `cookies()`, so this
 * runs in a route handler or server action, never in a server component.
 */
export async function signInUrl(options: SignInOptions = {}): Promise<string> {
  const { config } = authRuntime();
  const redirectTo = safeReturnTo(options.returnTo, config.webUrl);
  const params = signInParams({ ...options.params });
  return nextAuth.signIn("keycloak", { redirectTo, redirect: false }, { ...params });
}

/** GET /sign-in?returnTo=/notes&prompt=create — a plain link or GET form can start sign-in. */
export async function signInRoute(request: Request): Promise<Response> {
  if (!isPageNavigation(request)) {
    // Not a Flight response, so Next's client router loads this URL as a full page instead.
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }
  const query = new URL(request.url).searchParams;
  const location = await signInUrl({ returnTo: query.get("returnTo") ?? undefined, params: signInParams(query) });
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
