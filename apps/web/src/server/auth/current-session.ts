import "server-only";
import { decodeJwt } from "jose";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { SessionEndCode, SessionUnavailableCode } from "./auth-error";
import { authRuntime } from "./auth-runtime";
import { readSessionClaims } from "./session-cookie";
import type { SessionClaims } from "./session-claims";
import type { StoredSession } from "./token-store";

/** The signed-in user as pages see it. No token, no session id. */
export interface CurrentUser {
  sub: string;
  name: string | null;
  email: string | null;
  username: string | null;
  /** Realm roles from the current access token (so a role change shows after the next refresh). */
  roles: string[];
  /** `acr` of the session's latest ID token: how strongly the person authenticated (server/step-up/). */
  acr: string | null;
}

type ActiveSession =
  | { claims: SessionClaims; session: StoredSession; unavailable?: undefined }
  /** Signed in, but the access token has expired and Keycloak cannot renew it now; the session is kept. */
  | { claims: SessionClaims; session?: undefined; unavailable: SessionUnavailableCode };

// Once per server render: pages and the CMS client share one lookup.
const activeSession = cache(async (): Promise<ActiveSession | null> => {
  // cookies() first: it marks the render dynamic before anything needs the runtime config.
  const cookieHeader = (await cookies()).toString();
  const { config, refresher } = authRuntime();
  const claims = await readSessionClaims(cookieHeader, config);
  if (!claims) return null;
  const fresh = await refresher.fresh(claims.sessionId);
  if (fresh.ok) return { claims, session: fresh.session };
  return fresh.code === "refresh_unavailable" ? { claims, unavailable: fresh.code } : null;
});

function rolesOf(accessToken: string): string[] {
  try {
    const roles = (decodeJwt(accessToken).realm_access as { roles?: unknown } | undefined)?.roles;
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
  } catch {
    return [];
  }
}

function acrOf(idToken: string): string | null {
  try {
    const acr = decodeJwt(idToken).acr;
    return typeof acr === "string" ? acr : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in user, or null. A session whose refresh failed counts as signed
 * out; one kept through a sign-in service outage still counts as signed in
 * (with no roles until its token is renewed).
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const active = await activeSession();
  if (!active) return null;
  const { claims, session } = active;
  const roles = session ? rolesOf(session.tokens.accessToken) : [];
  const acr = session?.tokens.idToken ? acrOf(session.tokens.idToken) : null;
  return { sub: claims.sub, name: claims.name, email: claims.email, username: claims.username, roles, acr };
}

/**
 * The signed-in user with a usable session; otherwise redirects to sign-in
 * (returning to `returnTo` afterwards), or to the "sign-in service
 * unavailable" page when the session is kept through an outage.
 */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const active = await activeSession();
  if (active?.unavailable) showSignInUnavailable(returnTo);
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?${new URLSearchParams({ returnTo })}`);
  return user;
}

/**
 * A current access token for server-to-API calls, or null when signed out or
 * when the session cannot be renewed right now (see isSignInUnavailable).
 * Never send it to the browser.
 */
export async function getAccessToken(): Promise<string | null> {
  return (await activeSession())?.session?.tokens.accessToken ?? null;
}

/** True when the user is signed in but the sign-in service cannot renew the expired access token right now. */
export async function isSignInUnavailable(): Promise<boolean> {
  return (await activeSession())?.unavailable !== undefined;
}

/** Sends the user to the page that says the sign-in service is unavailable; the session is kept. */
export function showSignInUnavailable(returnTo?: string): never {
  redirect(`/sign-in-unavailable${returnTo ? `?${new URLSearchParams({ returnTo })}` : ""}`);
}

/**
 * After an API rejected `rejectedAccessToken` (401): refreshes once, unless
 * another request already did. On failure the session has ended, with the code.
 */
export async function renewAccessToken(
  rejectedAccessToken: string,
): Promise<{ ok: true; accessToken: string } | { ok: false; code: SessionEndCode | SessionUnavailableCode }> {
  const active = await activeSession();
  if (!active) return { ok: false, code: "session_not_found" };
  const renewed = await authRuntime().refresher.renew(active.claims.sessionId, rejectedAccessToken);
  return renewed.ok ? { ok: true, accessToken: renewed.session.tokens.accessToken } : renewed;
}

/**
 * Ends the current session on the server (the cookie is cleared by the next
 * request's proxy, since server components cannot write cookies) and sends
 * the user to a page that says so.
 */
export async function endSession(code: SessionEndCode): Promise<never> {
  const active = await activeSession();
  if (active) await authRuntime().refresher.end(active.claims.sessionId, code);
  redirect(`/session-ended?${new URLSearchParams({ reason: code })}`);
}
