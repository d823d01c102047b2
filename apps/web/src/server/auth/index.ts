// The auth module's public surface. Nothing outside src/server/auth imports
// next-auth or knows how sessions and tokens are kept. Every function here is
// wired in wiring.ts, the module's composition root.
import { auth } from "./wiring";

export const {
  getCurrentUser,
  requireUser,
  apiAccess,
  getAccessToken,
  signInUrl,
  signInRoute,
  safeReturnPath,
  identityProviders,
  authHandlers,
  backchannelLogoutRoute,
  tokenStoreHealth,
  createRouteProtection,
  benchTokenStoreReads,
  benchRoutesOn,
} = auth;
export { passWithoutHandoff } from "./session/route-protection";
export type { SignInParams } from "./sign-in/sign-in-params";
export { signOutAction, accountAction } from "./actions";
export { isSessionEndCode, type SessionEndCode } from "./auth-error";
