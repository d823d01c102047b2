"use server";

import { redirect } from "next/navigation";
import { auth } from "./wiring";

/** Form action of the Sign out button. Server actions are POST-only and origin-checked by Next.js, so no CSRF token is needed. */
export async function signOutAction(): Promise<never> {
  redirect(await auth.signOut());
}

/** Form action of the account page's buttons (sign-in/start-account-action.ts): origin-checked, allow-listed. */
export async function accountAction(form: FormData): Promise<never> {
  return auth.accountAction(form);
}
