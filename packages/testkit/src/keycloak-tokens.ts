// Real user tokens for tests. The runner signs the demo users in the same way
// to seed content (stack/src/dev-seed.ts), and runtime code never imports the
// test kit, so the sign-in lives in the runner and tests reach it here.
export { KeycloakLoginError, tokensFor } from "@stack/runner/sign-in/keycloak-tokens";
