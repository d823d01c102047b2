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

/**
 * Names and attributes of every cookie next-auth sets. Over https each gets
 * the `__Host-` prefix (RFC 6265bis §4.1.3.2): the browser then accepts it
 * only with Secure, Path=/ and no Domain, so a sibling subdomain can neither
 * set nor overwrite it. next-auth's defaults give only the CSRF cookie that
 * prefix (`__Secure-` for the rest). Over plain http (localhost) no prefix is
 * allowed, and the names stay next-auth's defaults. next-auth merges these
 * into its defaults, so their lifetimes (15 minutes for state and PKCE) stay.
 */
export function authCookies(config: Pick<WebConfig, "webUrl">): AuthCookies {
  const secure = config.webUrl.startsWith("https:");
  const prefix = secure ? "__Host-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  const entries = Object.entries(BASE_NAMES).map(([key, name]) => [key, { name: `${prefix}${name}`, options }]);
  return Object.fromEntries(entries) as AuthCookies;
}
