import "server-only";
import type { WebConfig } from "../../config/web-config";
import { keepPerAttempt } from "../session/attempt-cookies";
import type { NextAuthInstance } from "../session/next-auth-instance";
import { isPageNavigation } from "./page-navigation";
import { safeReturnTo } from "./safe-return-to";
import { signInParams, type SignInParams } from "./sign-in-params";

interface SignInOptions {
  /** Path to land on after sign-in; anything not on our origin becomes `/`. */
  returnTo?: string;
  /** Extras for Keycloak, already checked by the caller (`prompt=create`, `kc_idp_hint`, `kc_action`). */
  params?: SignInParams;
}

export interface SignIn {
  /**
   * Starts the authorization-code flow and returns Keycloak's authorization URL.
   * next-auth sets the PKCE, state and nonce cookies through `cookies()`, so this
   * runs in a route handler or server action, never in a server component.
   */
  signInUrl(options?: SignInOptions): Promise<string>;
  /**
   * GET /sign-in?returnTo=/notes&prompt=create — a plain link or GET form can
   * start sign-in, registration or a configured provider's sign-in; never an
   * account action (those are POST-only, see accountAction).
   */
  signInRoute(request: Request): Promise<Response>;
}

export function createSignIn(nextAuth: NextAuthInstance, deps: () => { config: Pick<WebConfig, "webUrl" | "identityProviders"> }): SignIn {
  const signInUrl = async (options: SignInOptions = {}) => {
    const { config } = deps();
    const redirectTo = safeReturnTo(options.returnTo, config.webUrl);
    const url: string = await nextAuth.signIn("keycloak", { redirectTo, redirect: false }, { ...options.params });
    await keepPerAttempt(url, config);
    return url;
  };
  return {
    signInUrl,
    async signInRoute(request) {
      if (!isPageNavigation(request)) {
        // Not a Flight response, so Next's client router loads this URL as a full page instead.
        return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
      }
      const query = new URL(request.url).searchParams;
      const params = signInParams(query, deps().config.identityProviders);
      const location = await signInUrl({ returnTo: query.get("returnTo") ?? undefined, params });
      return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
    },
  };
}
