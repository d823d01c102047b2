// What the Keycloak strategy leaves on ctx.state for the step-up check: the two
// claims of the verified access token that say how (and when) the person
// authenticated. Only the strategy writes it, after verifying the token.

export const STEP_UP_CLAIMS_STATE = "keycloakStepUpClaims";

export interface StepUpClaims {
  /** The token's `acr` (Keycloak maps its level of authentication through the realm's acr.loa.map). */
  acr: string | undefined;
  /** The token's `auth_time`, seconds since the epoch. */
  authTime: number | undefined;
}
