"use server";

import { redirect } from "next/navigation";
import { signOut } from "./sign-out";

/** Form action of the Sign out button. Server actions are POST-only and origin-checked by Next.js, so no CSRF token is needed. */
export async function signOutAction(): Promise<never> {
  redirect(await signOut());
}
