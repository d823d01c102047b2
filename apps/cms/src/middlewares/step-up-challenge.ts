// When the step-up policy refused a request (src/auth/step-up/step-up-policy.ts),
// Strapi throws a PolicyError (403). This catches it and answers into RFC 9470's answer: 401,
// `WWW-Authenticate: Bearer error="insufficient_user_authentication",
// acr_values="…"` (and max_age), with a stable code in the body. Registered in
// config/middlewares.ts next to keycloak-auth-errors.
import { STEP_UP_CHALLENGE_STATE, type StepUpChallengeState } from "../auth/step-up/step-up-policy";
import { STEP_UP_MESSAGE, stepUpChallenge } from "../auth/step-up/step-up-table";

export default () => {
  return async (ctx: { state: Record<string, unknown>; status: number; body: unknown; set(headers: Record<string, string>): void }, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error) {
      // The refusal arrives as Strapi's PolicyError, thrown through here to strapi::errors.
      if (ctx.state[STEP_UP_CHALLENGE_STATE] === undefined) throw error;
    }
    const challenge = ctx.state[STEP_UP_CHALLENGE_STATE] as StepUpChallengeState | undefined;
    if (challenge === undefined) return;
    ctx.status = 401;
    ctx.set({ "WWW-Authenticate": stepUpChallenge(challenge.acrValues, challenge.maxAgeSeconds), "Cache-Control": "no-store" });
    ctx.body = {
      data: null,
      error: {
        status: 401,
        name: "UnauthorizedError",
        code: "insufficient_user_authentication",
        message: STEP_UP_MESSAGE,
        details: { acr_values: challenge.acrValues, ...(challenge.maxAgeSeconds === undefined ? {} : { max_age: challenge.maxAgeSeconds }), reason: challenge.reason },
      },
    };
  };
};
