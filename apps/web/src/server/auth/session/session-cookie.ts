import "server-only";
import { TtlCache } from "@stack/keycloak-tokens";
import { getToken } from "next-auth/jwt";
import type { WebConfig } from "../../config/web-config";
import { authCookies, cookiePairs } from "./auth-cookies";
import { sessionClaimsFromCookie, type SessionClaims } from "./session-claims";

/** next-auth's session cookie name: `__Host-` prefixed over https (see authCookies). */
export function sessionCookieName(config: Pick<WebConfig, "webUrl">): string {
  return authCookies(config).sessionToken.name!;
}

/**
 * Cookies already opened: the same encrypted value always holds the same
 * claims, and opening one (key derivation, then decryption, both through
 * WebCrypto) cost about a millisecond per page view in the bench. Kept until
 * the cookie's own expiry, at most five minutes; only cookies that opened.
 */
const opened = new TtlCache<string, { claims: SessionClaims; expiresAt: number }>({ maxEntries: 10_000, ttlMs: 5 * 60_000 });

/** The session cookie's value in a Cookie header, its chunks joined in order; empty when absent. */
export function sessionCookieValue(cookieHeader: string, config: Pick<WebConfig, "webUrl">): string {
  const pairs = cookiePairs(cookieHeader);
  const names = new Set(sessionCookieNames(pairs.map(([name]) => name), config));
  const base = sessionCookieName(config);
  const order = (name: string) => (name === base ? -1 : Number(name.slice(base.length + 1)));
  return pairs
    .filter(([name]) => names.has(name))
    .sort(([a], [b]) => order(a) - order(b))
    .map(([name, value]) => `${name}=${value}`)
    .join(";");
}

/**
 * Decrypts the session cookie from a Cookie header; null when absent, forged,
 * expired or encrypted under another secret. Only the cookie is consulted:
 * next-auth's helper would also accept an `Authorization: Bearer` header.
 */
export async function readSessionClaims(cookieHeader: string, config: Pick<WebConfig, "webUrl" | "authSecret">): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  const cookieName = sessionCookieName(config);
  const key = sessionCookieValue(cookieHeader, config);
  if (!key) return null;
  const known = opened.get(key);
  if (known && known.expiresAt > Date.now()) return known.claims;
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
    const claims = sessionClaimsFromCookie(decoded as Record<string, unknown> | null);
    const exp = typeof decoded?.exp === "number" ? decoded.exp * 1000 : 0;
    if (claims && exp > Date.now()) opened.set(key, { claims, expiresAt: exp }, exp - Date.now());
    return claims;
  } catch {
    return null;
  }
}

/** Names of the session cookie and its chunks (next-auth splits cookies over 4 kB into `.0`, `.1`, ...). */
export function sessionCookieNames(present: Iterable<string>, config: Pick<WebConfig, "webUrl">): string[] {
  const base = sessionCookieName(config);
  return [...present].filter((name) => name === base || name.startsWith(`${base}.`));
}
