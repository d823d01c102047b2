import "server-only";
import { redirect } from "next/navigation";
import { signInUrl } from "../auth";
import type { StepUpChallenge } from "./step-up-challenge";

/**
 * Sends the person through Keycloak for the level the API asked for
 * (`acr_values`, `max_age` from its challenge), then back to `returnTo`, where
 * the page checks the new ID token's `acr` (acrSatisfies) before finishing.
 * Runs in a server action (sign-in sets next-auth's PKCE and state cookies).
 */
export async function startStepUp(challenge: StepUpChallenge, returnTo: string): Promise<never> {
  const params = challenge.maxAge === undefined ? { acr_values: challenge.acrValues } : { acr_values: challenge.acrValues, max_age: String(challenge.maxAge) };
  redirect(await signInUrl({ returnTo, params }));
}
