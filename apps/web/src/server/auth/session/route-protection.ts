import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { WebConfig } from "../../config/web-config";
import { SESSION_HANDOFF_HEADER, type SessionHandoff } from "./session-handoff";
import type { SessionLookup } from "./session-lookup";
import { sessionCookieNames } from "./session-cookie";

export interface RouteProtectionOptions {
  /** Path prefixes that need a signed-in user; `/notes` covers `/notes/...`. */
  protectedPaths: readonly string[];
}

export interface RouteProtectionDeps {
  config: Pick<WebConfig, "webUrl">;
  sessions: SessionLookup;
  handoff: SessionHandoff;
}

/**
 * The proxy's whole job: find whether the request carries a live session
 * (refreshing its tokens first when due, so the render that follows has fresh
 * ones), send anonymous visitors of protected pages to sign-in, and clear the
 * cookie of a session that has ended. A session whose expired token cannot be
 * renewed because Keycloak is unreachable keeps its cookie; its protected
 * pages go to the "sign-in service unavailable" page instead. The proxy can
 * write cookies; server components cannot. What it found travels on to the
 * render by a request header (session-handoff.ts), so pages and the CMS
 * client use it instead of reading the cookie and the store again; pages still
 * check for themselves with `requireUser`.
 */
export function createRouteProtection(options: RouteProtectionOptions, deps: () => RouteProtectionDeps) {
  const isProtected = (path: string) => options.protectedPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

  return async function protectRoutes(request: NextRequest): Promise<NextResponse> {
    const { config, sessions, handoff } = deps();
    const claims = await sessions.claims(request.headers.get("cookie") ?? "");
    const active = claims ? await sessions.resolve(claims) : null;
    const next = () => continueWith(request, handoff.put(active));
    if (active && !active.unavailable) return next();

    const { pathname, search } = request.nextUrl;
    // Only page loads are redirected. A server action (POST) must reach its
    // handler, which checks the user itself and answers with a redirect the
    // client router understands; a 307 would replay the POST against /sign-in.
    const isPageLoad = request.method === "GET" || request.method === "HEAD";
    const returnTo = new URLSearchParams({ returnTo: `${pathname}${search}` });
    if (active?.unavailable) {
      return isPageLoad && isProtected(pathname)
        ? NextResponse.redirect(new URL(`/sign-in-unavailable?${returnTo}`, config.webUrl))
        : next();
    }
    const response = isPageLoad && isProtected(pathname) ? NextResponse.redirect(new URL(`/sign-in?${returnTo}`, config.webUrl)) : next();
    for (const name of sessionCookieNames(request.cookies.getAll().map((cookie) => cookie.name), config)) {
      response.cookies.delete(name);
    }
    return response;
  };
}

/**
 * For paths the proxy does not look the session up on (`/api/...`, which
 * answer for themselves): passes the request on with any client-sent hand-off
 * header removed.
 */
export function passWithoutHandoff(request: NextRequest): NextResponse {
  return continueWith(request, null);
}

function continueWith(request: NextRequest, handedOn: string | null): NextResponse {
  const headers = new Headers(request.headers);
  if (handedOn === null) headers.delete(SESSION_HANDOFF_HEADER);
  else headers.set(SESSION_HANDOFF_HEADER, handedOn);
  return NextResponse.next({ request: { headers } });
}

