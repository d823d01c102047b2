import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { WebConfig } from "../../config/web-config";
import { AccountActionError, isAllowedAccountAction } from "./account-action";
import { isSameOrigin } from "./same-origin";
import type { SignIn } from "./sign-in";

/**
 * The account page's buttons: starts one of Keycloak's application-initiated
 * actions (`kc_action`, form field `action`) for the signed-in user. Only from
 * our own pages (Origin equals WEB_URL) and only an allow-listed action, so no
 * other site can send a signed-in person into "link a provider" or "delete
 * account".
 */
export function createAccountAction(
  deps: () => { config: Pick<WebConfig, "webUrl" | "identityProviders"> },
  session: { getCurrentUser(): Promise<unknown> },
  signIn: Pick<SignIn, "signInUrl">,
): (form: FormData) => Promise<never> {
  return async (form) => {
    const { config } = deps();
    if (!isSameOrigin(await headers(), config.webUrl)) throw new AccountActionError("account_action_origin_refused");
    const action = form.get("action");
    if (!isAllowedAccountAction(action, config.identityProviders)) throw new AccountActionError("account_action_not_allowed");
    if (!(await session.getCurrentUser())) redirect(`/sign-in?${new URLSearchParams({ returnTo: "/account" })}`);
    redirect(await signIn.signInUrl({ returnTo: "/account", params: { kc_action: action } }));
  };
}
