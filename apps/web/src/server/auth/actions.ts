"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AccountActionError, isAllowedAccountAction } from "./sign-in/account-action";
import { authRuntime } from "./wiring";
import { getCurrentUser } from "./session/current-session";
import { isSameOrigin } from "./sign-in/same-origin";
import { signInUrl } from "./sign-in/sign-in";
import { signOut } from "./logout/sign-out";

/** Form action of the Sign out button. Server actions are POST-only and origin-checked by Next.js, so no CSRF token is needed. */
export async function signOutAction(): Promise<never> {
  redirect(await signOut());
}

/**
 * Form action of the account page's buttons: starts one of Keycloak's
 * application-initiated actions (`kc_action`, form field `action`) for the
 * signed-in user. Only from our own pages (Origin equals WEB_URL) and only an
 * allow-listed action, so no other site can send a signed-in person into
 * "link a provider" or "delete account".
 */
export async function accountAction(form: FormData): Promise<never> {
  const { config } = authRuntime();
  if (!isSameOrigin(await headers(), config.webUrl)) throw new AccountActionError("account_action_origin_refused");
  const action = form.get("action");
  if (!isAllowedAccountAction(action, config.identityProviders)) throw new AccountActionError("account_action_not_allowed");
  if (!(await getCurrentUser())) redirect(`/sign-in?${new URLSearchParams({ returnTo: "/account" })}`);
  redirect(await signInUrl({ returnTo: "/account", params: { kc_action: action } }));
}
