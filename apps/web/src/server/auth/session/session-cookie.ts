import "server-only";
import { getToken } from "next-auth/jwt";
import type { WebConfig } from "../../config/web-config";
import { authCookies } from "./auth-cookies";
import { sessionClaimsFromCookie, type SessionClaims } from "./session-claims";

/** next-auth's session cookie name: `__Host-` prefixed over https (see authCookies). */
export function sessionCookieName(config: Pick<WebConfig, "webUrl">): string {
  return authCookies(config).sessionToken.name!;
}

/**
 * Decrypts the session cookie from a Cookie header; null when absent, forged,
 * expired or encrypted under another secret. Only the cookie is consulted:
 * next-auth's helper would also accept an `Authorization: Bearer` header.
 */
export async function readSessionClaims(cookieHeader: string, config: Pick<WebConfig, "webUrl" | "authSecret">): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  const cookieName = sessionCookieName(config);
  try {
    const decoded = await getToken({
      req: { headers: new Headers({ cookie: cookieHeader }) },
      secret: config.authSecret,
      secureCookie: config.webUrl.startsWith("https:"),
      cookieName,
      salt: cookieName,
      // next-auth logs decryption failures with the cookie attached; a stale cookie is routine here.
      logger: { error() {}, warn() {}, debug() {} } as never,
    });
    return sessionClaimsFromCookie(decoded as Record<string, unknown> | null);
  } catch {
    return null;
  }
}

/** Names of the session cookie and its chunks (next-auth splits cookies over 4 kB into `.0`, `.1`, ...). */
export function sessionCookieNames(present: Iterable<string>, config: Pick<WebConfig, "webUrl">): string[] {
  const base = sessionCookieName(config);
  return [...present].filter((name) => name === base || name.startsWith(`${base}.`));
}
