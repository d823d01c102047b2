import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { authRuntime } from "../wiring";
import { readSessionClaims, sessionCookieNames } from "./session-cookie";

export interface RouteProtectionOptions {
  /** Path prefixes that need a signed-in user; `/notes` covers `/notes/...`. */
  protectedPaths: readonly string[];
}

/**
 * The proxy's whole job: find whether the request carries a live session
 * (refreshing its tokens first when due, so the render that follows has fresh
 * ones), send anonymous visitors of protected pages to sign-in, and clear the
 * cookie of a session that has ended. A session whose expired token cannot be
 * renewed because Keycloak is unreachable keeps its cookie; its protected
 * pages go to the "sign-in service unavailable" page instead. The proxy can
 * write cookies; server components cannot. Pages still check for themselves
 * with `requireUser`.
 */
export function createRouteProtection(options: RouteProtectionOptions) {
  const isProtected = (path: string) => options.protectedPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

  return async function protectRoutes(request: NextRequest): Promise<NextResponse> {
    const { config, refresher } = authRuntime();
    const claims = await readSessionClaims(request.headers.get("cookie") ?? "", config);
    const fresh = claims ? await refresher.fresh(claims.sessionId) : undefined;
    if (fresh?.ok) return NextResponse.next();

    const { pathname, search } = request.nextUrl;
    // Only page loads are redirected. A server action (POST) must reach its
    // handler, which checks the user itself and answers with a redirect the
    // client router understands; a 307 would replay the POST against /sign-in.
    const isPageLoad = request.method === "GET" || request.method === "HEAD";
    const returnTo = new URLSearchParams({ returnTo: `${pathname}${search}` });
    if (fresh?.code === "refresh_unavailable") {
      return isPageLoad && isProtected(pathname)
        ? NextResponse.redirect(new URL(`/sign-in-unavailable?${returnTo}`, config.webUrl))
        : NextResponse.next();
    }
    const response = isPageLoad && isProtected(pathname)
      ? NextResponse.redirect(new URL(`/sign-in?${returnTo}`, config.webUrl))
      : NextResponse.next();
    for (const name of sessionCookieNames(request.cookies.getAll().map((cookie) => cookie.name), config)) {
      response.cookies.delete(name);
    }
    return response;
  };
}
