import "server-only";
import { TtlCache } from "@stack/keycloak-tokens";
import { decodeJwt, type JWTPayload } from "jose";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { SessionEndCode, SessionUnavailableCode } from "../auth-error";
import type { TokenRefresher } from "../tokens/token-refresher";
import { SESSION_HANDOFF_HEADER, type SessionHandoff } from "./session-handoff";
import type { ActiveSession, SessionLookup } from "./session-lookup";

/** The signed-in user as pages see it. No token, no session id. */
interface CurrentUser {
  sub: string;
  name: string | null;
  email: string | null;
  username: string | null;
  /** Realm roles from the current access token (so a role change shows after the next refresh). */
  roles: string[];
  /** `acr` of the session's current access token (Keycloak puts the sign-in's level in both tokens): how strongly the person authenticated (server/step-up/). */
  acr: string | null;
}

export interface CurrentSessionDeps {
  sessions: SessionLookup;
  handoff: SessionHandoff;
  refresher: Pick<TokenRefresher, "renew" | "end">;
}

/** What server components, server actions and the CMS client ask of the current request's session. */
export interface CurrentSession {
  /**
   * The signed-in user, or null. A session whose refresh failed counts as signed
   * out; one kept through a sign-in service outage still counts as signed in
   * (with no roles until its token is renewed).
   */
  getCurrentUser(): Promise<CurrentUser | null>;
  /**
   * The signed-in user with a usable session; otherwise redirects to sign-in
   * (returning to `returnTo` afterwards), or to the "sign-in service
   * unavailable" page when the session is kept through an outage.
   */
  requireUser(returnTo: string): Promise<CurrentUser>;
  /**
   * A current access token for server-to-API calls, or null when signed out or
   * when the session cannot be renewed right now (see isSignInUnavailable).
   * Never send it to the browser.
   */
  getAccessToken(): Promise<string | null>;
  /** True when the user is signed in but the sign-in service cannot renew the expired access token right now. */
  isSignInUnavailable(): Promise<boolean>;
  /** Sends the user to the page that says the sign-in service is unavailable; the session is kept. */
  showSignInUnavailable(returnTo?: string): never;
  /**
   * After an API rejected `rejectedAccessToken` (401): refreshes once, unless
   * another request already did. On failure the session has ended, with the code.
   */
  renewAccessToken(rejectedAccessToken: string): Promise<{ ok: true; accessToken: string } | { ok: false; code: SessionEndCode | SessionUnavailableCode }>;
  /**
   * Ends the current session on the server (the cookie is cleared by the next
   * request's proxy, since server components cannot write cookies) and sends
   * the user to a page that says so.
   */
  endSession(code: SessionEndCode): Promise<never>;
}

// A token's payload never changes: decoded once per token (every page view of a session shows the same one until a refresh).
const payloads = new TtlCache<string, JWTPayload | null>({ maxEntries: 2_000, ttlMs: 5 * 60_000 });

function payloadOf(accessToken: string): JWTPayload | undefined {
  let payload = payloads.get(accessToken);
  if (payload === undefined) {
    try {
      payload = decodeJwt(accessToken);
    } catch {
      payload = null;
    }
    payloads.set(accessToken, payload);
  }
  return payload ?? undefined;
}

function acrOf(payload: JWTPayload | undefined): string | null {
  return typeof payload?.acr === "string" ? payload.acr : null;
}

function rolesOf(payload: JWTPayload | undefined): string[] {
  const roles = (payload?.realm_access as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
}

/**
 * The current request's session, looked up once per request: the proxy's
 * hand-off when there is one (no cookie or store read at all), else the
 * cookie and the token store through the same lookup the proxy uses. React's
 * `cache` shares the answer between the layout, the page, server actions and
 * the CMS client of one request. Built per bundle (React's `cache` belongs to
 * the bundle's React); `deps` are the process-wide parts.
 */
export function createCurrentSession(deps: () => CurrentSessionDeps): CurrentSession {
  const activeSession = cache(async (): Promise<ActiveSession | null> => {
    // headers() first: it marks the render dynamic before anything needs the runtime config.
    const requestHeaders = await headers();
    const { sessions, handoff } = deps();
    const handed = handoff.take(requestHeaders.get(SESSION_HANDOFF_HEADER));
    if (handed) return handed.active;
    // Only now the cookies: with a hand-off, Next never has to parse them.
    const claims = await sessions.claims((await cookies()).toString());
    return claims ? sessions.resolve(claims) : null;
  });

  const showSignInUnavailable = (returnTo?: string): never =>
    redirect(`/sign-in-unavailable${returnTo ? `?${new URLSearchParams({ returnTo })}` : ""}`);

  // Once per request too: the layout and the page both ask, and each answer decodes the access token.
  const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
    const active = await activeSession();
    if (!active) return null;
    const { claims, accessToken } = active;
    const payload = accessToken ? payloadOf(accessToken) : undefined;
    return { sub: claims.sub, name: claims.name, email: claims.email, username: claims.username, roles: rolesOf(payload), acr: acrOf(payload) };
  });

  return {
    getCurrentUser,
    async requireUser(returnTo) {
      const active = await activeSession();
      if (active?.unavailable) showSignInUnavailable(returnTo);
      const user = await getCurrentUser();
      if (!user) redirect(`/sign-in?${new URLSearchParams({ returnTo })}`);
      return user;
    },
    async getAccessToken() {
      return (await activeSession())?.accessToken ?? null;
    },
    async isSignInUnavailable() {
      return (await activeSession())?.unavailable !== undefined;
    },
    showSignInUnavailable,
    async renewAccessToken(rejectedAccessToken) {
      const active = await activeSession();
      if (!active) return { ok: false, code: "session_not_found" };
      const renewed = await deps().refresher.renew(active.claims.sessionId, rejectedAccessToken);
      return renewed.ok ? { ok: true, accessToken: renewed.session.tokens.accessToken } : renewed;
    },
    async endSession(code) {
      const active = await activeSession();
      if (active) await deps().refresher.end(active.claims.sessionId, code);
      redirect(`/session-ended?${new URLSearchParams({ reason: code })}`);
    },
  };
}
