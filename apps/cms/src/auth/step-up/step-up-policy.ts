// The route policy `global::step-up` (src/policies/step-up.ts): after the
// Keycloak strategy verified the token, checks the token's level against the
// table for this action. Below it, the policy refuses and leaves the challenge
// on ctx.state; the step-up-challenge middleware turns Strapi's refusal into the
// RFC 9470 401. Requests without a token are not this policy's business: the
// route's own permissions decide (public reads).
import { STEP_UP_CLAIMS_STATE, type StepUpClaims } from "./step-up-claims";
import { stepUpActionOf } from "./step-up-action";
import { checkStepUp, type StepUpTable } from "./step-up-table";

export const STEP_UP_CHALLENGE_STATE = "keycloakStepUpChallenge";

export interface StepUpChallengeState {
  acrValues: string;
  maxAgeSeconds: number | undefined;
  reason: "level_too_low" | "authentication_too_old";
}

export interface StepUpPolicyContext {
  state: Record<string, unknown> & { route?: { handler?: unknown } };
  /** Strapi's policy context copies Koa's own properties only: `query` (a getter) is read from `request`. */
  request?: { query?: Record<string, unknown> };
  query?: Record<string, unknown>;
}

export function createStepUpPolicy(table: StepUpTable, nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {
  return (ctx: StepUpPolicyContext): boolean => {
    const claims = ctx.state[STEP_UP_CLAIMS_STATE] as StepUpClaims | undefined;
    if (claims === undefined) return true;
    const action = stepUpActionOf(ctx.state.route?.handler, ctx.request?.query ?? ctx.query ?? {});
    // A route that carries the policy but is not in the table is a wiring
    // mistake: refuse rather than let it through unchecked.
    if (action === undefined) {
      ctx.state[STEP_UP_CHALLENGE_STATE] = { acrValues: "second-factor", maxAgeSeconds: undefined, reason: "level_too_low" } satisfies StepUpChallengeState;
      return false;
    }
    const decision = checkStepUp(table[action], claims, nowSeconds());
    if (decision.ok) return true;
    ctx.state[STEP_UP_CHALLENGE_STATE] = {
      acrValues: decision.acrValues,
      maxAgeSeconds: decision.maxAgeSeconds,
      reason: decision.reason,
    } satisfies StepUpChallengeState;
    return false;
  };
}
