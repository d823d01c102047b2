import { createHash } from "node:crypto";
import type { NextAuthConfig } from "next-auth";
import type { WebConfig } from "../../config/web-config";

type AuthCookies = Required<Pick<NonNullable<NextAuthConfig["cookies"]>, "sessionToken" | "callbackUrl" | "csrfToken" | "pkceCodeVerifier" | "state" | "nonce">>;

// next-auth's own cookies (Auth.js core), by its config key.
const BASE_NAMES = {
  sessionToken: "authjs.session-token",
  callbackUrl: "authjs.callback-url",
  csrfToken: "authjs.csrf-token",
  pkceCodeVerifier: "authjs.pkce.code_verifier",
  state: "authjs.state",
  nonce: "authjs.nonce",
} as const satisfies Record<keyof AuthCookies, string>;

/** The cookies of one sign-in attempt: set when it starts, read and cleared by its callback. */
export const ATTEMPT_COOKIES = ["pkceCodeVerifier", "state", "nonce"] as const;

/** How long an attempt's cookies live: next-auth's own lifetime for them. */
export const ATTEMPT_COOKIE_MAX_AGE_SECONDS = 15 * 60;

/**
 * A short id of one sign-in attempt, from its OAuth `state`: the one value
 * both the authorization URL and the callback carry. next-auth keeps a single
 * PKCE, state and nonce cookie per browser, so a second tab starting sign-in
 * overwrote the first tab's and the first callback failed; the attempt's
 * cookies carry this id in their names instead (docs/decisions/0111-tabs-in-step.md).
 */
export function signInAttemptId(state: string): string {
  return createHash("sha256").update(state).digest("base64url").slice(0, 16);
}

/**
 * Names and attributes of every cookie next-auth sets; with `attempt`, the
 * names the given sign-in attempt's PKCE, state and nonce cookies carry. Over https each gets
 * the `__Host-` prefix (RFC 6265bis §4.1.3.2): the browser then accepts it
 * only with Secure, Path=/ and no Domain, so a sibling subdomain can neither
 * set nor overwrite it. next-auth's defaults give only the CSRF cookie that
 * prefix (`__Secure-` for the rest). Over plain http (localhost) no prefix is
 * allowed, and the names stay next-auth's defaults. next-auth merges these
 * into its defaults, so their lifetimes (15 minutes for state and PKCE) stay.
 */
export function authCookies(config: Pick<WebConfig, "webUrl">, attempt?: string): AuthCookies {
  const secure = config.webUrl.startsWith("https:");
  const prefix = secure ? "__Host-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  const suffix = (key: string) => (attempt !== undefined && (ATTEMPT_COOKIES as readonly string[]).includes(key) ? `.${attempt}` : "");
  const entries = Object.entries(BASE_NAMES).map(([key, name]) => [key, { name: `${prefix}${name}${suffix(key)}`, options }]);
  return Object.fromEntries(entries) as AuthCookies;
}

/**
 * The Cookie header a sign-in callback hands to next-auth: the cookies of the
 * attempt its `state` names, under next-auth's own names (their values are
 * sealed under those names, so they are never re-sealed), instead of whatever
 * another tab left there. `consumed` lists the attempt's cookies, to clear.
 */
export function callbackCookieHeader(cookieHeader: string, state: string, config: Pick<WebConfig, "webUrl">): { cookieHeader: string; consumed: string[] } {
  const shared = authCookies(config);
  const own = authCookies(config, signInAttemptId(state));
  const pairs = cookiePairs(cookieHeader);
  const value = (name: string) => pairs.find(([key]) => key === name)?.[1];
  const sharedNames = new Set(ATTEMPT_COOKIES.map((key) => shared[key].name));
  const consumed: string[] = [];
  const kept = pairs.filter(([key]) => !sharedNames.has(key));
  for (const key of ATTEMPT_COOKIES) {
    const attemptValue = value(own[key].name!);
    if (attemptValue === undefined) continue;
    consumed.push(own[key].name!);
    kept.push([shared[key].name!, attemptValue]);
  }
  if (consumed.length === 0) return { cookieHeader, consumed };
  return { cookieHeader: kept.map(([key, v]) => `${key}=${v}`).join("; "), consumed };
}

/** The name=value pairs of a Cookie header, in order, values as sent. */
export function cookiePairs(cookieHeader: string): [string, string][] {
  return cookieHeader
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf("=");
      return at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
    });
}
