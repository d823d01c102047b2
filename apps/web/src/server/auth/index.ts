// The auth module's public surface. Nothing outside src/server/auth imports
// next-auth or knows how sessions and tokens are kept.
export {
  getCurrentUser,
  requireUser,
  getAccessToken,
  renewAccessToken,
  endSession,
  isSignInUnavailable,
  showSignInUnavailable,
  type CurrentUser,
} from "./session/current-session";
export { signInUrl, signInRoute, type SignInOptions } from "./sign-in/sign-in";
export { safeReturnPath } from "./sign-in/safe-return-path";
export { identityProviders, type IdentityProviderOption } from "./sign-in/identity-providers";
export type { SignInParams } from "./sign-in/sign-in-params";
export { signOutAction, accountAction } from "./actions";
export { authHandlers, backchannelLogoutRoute, tokenStoreHealth } from "./routes";
export { createRouteProtection } from "./session/route-protection";
export { isSessionEndCode, type SessionEndCode, type SessionUnavailableCode } from "./auth-error";
