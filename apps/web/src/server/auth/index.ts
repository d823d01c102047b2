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
} from "./current-session";
export { signInUrl, signInRoute, type SignInOptions } from "./sign-in";
export { safeReturnPath } from "./safe-return-path";
export { identityProviders, type IdentityProviderOption } from "./identity-providers";
export type { SignInParams } from "./sign-in-params";
export { signOutAction, accountAction } from "./auth-actions";
export { authHandlers, backchannelLogoutRoute, tokenStoreHealth } from "./auth-routes";
export { createRouteProtection } from "./route-protection";
export { isSessionEndCode, type SessionEndCode, type SessionUnavailableCode } from "./auth-error";
