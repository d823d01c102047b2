import "server-only";
import { randomBytes } from "node:crypto";
import NextAuth, { customFetch, type NextAuthConfig } from "next-auth";
import Keycloak from "next-auth/providers/keycloak";
import type { NextRequest } from "next/server";
import { pinNextAuthUrl, type WebConfig } from "../../config/web-config";
import type { Logger } from "../../log/logger";
import type { EndStoredSession } from "../logout/end-stored-session";
import { safeReturnTo } from "../sign-in/safe-return-to";
import type { TokenStore } from "../store/token-store";
import { tokenSetFromResponse } from "../tokens/token-set";
import { authCookies } from "./auth-cookies";
import { sessionClaimsFromCookie, sessionClaimsFromProfile, type SessionClaims } from "./session-claims";
import type { SessionLookup } from "./session-lookup";

/** What next-auth's configuration is built from. */
export interface NextAuthDeps {
  config: WebConfig;
  logger: Logger;
  store: TokenStore;
  sessions: SessionLookup;
  /** Server-to-Keycloak fetch: internal base URL, bounded time. */
  keycloakFetch: typeof fetch;
  endStoredSession: EndStoredSession;
}

export type NextAuthInstance = ReturnType<typeof NextAuth>;

/**
 * next-auth runs the OAuth part only: sign-in redirect (PKCE S256, state,
 * nonce), the callback's code exchange, and the encrypted session cookie.
 * Its `jwt` callback hands the tokens to our token store and puts only
 * `SessionClaims` in the cookie. The config is built per request (lazy), so
 * `next build` never needs the runtime environment.
 */
export function createNextAuth(deps: () => NextAuthDeps): NextAuthInstance {
  return NextAuth(async (request) => nextAuthConfig(deps(), request));
}

async function nextAuthConfig(runtime: NextAuthDeps, request: NextRequest | undefined): Promise<NextAuthConfig> {
  const { config, store, sessions, logger } = runtime;
  pinNextAuthUrl(config);
  // A sign-in that completes while an older session cookie exists replaces
  // that session: its stored tokens are deleted rather than left to expire.
  const previous = request ? await sessions.claims(request.headers.get("cookie") ?? "") : null;

  return {
    secret: config.authSecret,
    trustHost: true,
    basePath: "/api/auth",
    useSecureCookies: config.webUrl.startsWith("https:"),
    cookies: authCookies(config),
    session: { strategy: "jwt", maxAge: config.sessionMaxAgeSeconds },
    pages: { signIn: "/sign-in", error: "/auth-error" },
    providers: [
      Keycloak({
        clientId: config.webClientId,
        clientSecret: config.webClientSecret,
        issuer: config.keycloakIssuer,
        checks: ["pkce", "state", "nonce"],
        // Discovery, code exchange and JWKS go to KEYCLOAK_INTERNAL_URL when set.
        [customFetch]: runtime.keycloakFetch,
      }),
    ],
    callbacks: {
      async jwt({ token, account, profile }) {
        if (account && profile) {
          const claims = await startSession(runtime, account, profile);
          if (previous && previous.sessionId !== claims.sessionId) await store.delete(previous.sessionId);
          return claims as unknown as typeof token;
        }
        // Every later read of the cookie (including GET /api/auth/session):
        // the cookie is only worth something while its stored session lives.
        // null makes next-auth clear the cookie, so a session kept through a
        // Keycloak outage (refresh_unavailable) keeps it too.
        const claims = sessionClaimsFromCookie(token);
        if (!claims) return null;
        return (await sessions.resolve(claims)) ? token : null;
      },
      // What GET /api/auth/session shows the browser: display claims only.
      session({ session, token }) {
        const claims = sessionClaimsFromCookie(token);
        return { expires: session.expires, user: { name: claims?.name ?? null, email: claims?.email ?? null } } as typeof session;
      },
      // next-auth's default allows any same-origin URL; ours also refuses
      // same-origin paths that a browser reads as another host (`//evil`).
      redirect({ url }) {
        return `${config.webUrl}${safeReturnTo(url, config.webUrl)}`;
      },
    },
    events: {
      // next-auth's own POST /api/auth/signout (CSRF-checked by next-auth)
      // clears only its cookie; this makes it end everything our sign-out does.
      async signOut(message) {
        const claims = "token" in message ? sessionClaimsFromCookie(message.token as Record<string, unknown> | null) : null;
        if (claims) await runtime.endStoredSession(claims.sessionId);
      },
    },
    logger: {
      // next-auth's own error output includes provider responses; log the
      // error type and the underlying check's message (oauth4webapi and jose
      // messages name the failed check, never a token value).
      error(error) {
        const cause = (error as { cause?: { err?: Error } }).cause?.err;
        logger.error("next_auth_error", {
          type: (error as { type?: string }).type ?? error.name,
          cause: cause ? `${cause.name}: ${cause.message}`.slice(0, 200) : undefined,
        });
      },
      warn(code) {
        logger.warn("next_auth_warning", { code });
      },
      debug() {},
    },
  };
}

async function startSession(
  runtime: NextAuthDeps,
  account: Record<string, unknown>,
  profile: Record<string, unknown>,
): Promise<SessionClaims> {
  const now = Date.now();
  const sessionId = randomBytes(32).toString("base64url");
  const claims = sessionClaimsFromProfile(sessionId, profile);
  const tokens = tokenSetFromResponse(account, now);
  // Keycloak always sends both; without them there is nothing to keep.
  if (!claims || !tokens) throw new Error("Keycloak's token response lacked an access token or a subject");
  await runtime.store.create({
    sessionId,
    sid: claims.sid,
    sub: claims.sub,
    createdAt: now,
    expiresAt: Math.min(tokens.refreshTokenExpiresAt ?? Number.POSITIVE_INFINITY, now + runtime.config.sessionMaxAgeSeconds * 1000),
    tokens,
  });
  runtime.logger.info("session_started", {});
  return claims;
}
