import { NextResponse, type NextRequest } from "next/server";
import { createRouteProtection, passWithoutHandoff } from "@/server/auth";
import { webConfig } from "@/server/config/web-config";
import { securityHeaders } from "@/server/http/security-headers";

// Route protection lives in the auth module; this file only says which paths.
const protectRoutes = createRouteProtection({ protectedPaths: ["/notes", "/account"] });

export async function proxy(request: NextRequest): Promise<NextResponse> {
  // /api answers for itself: next-auth's endpoints, the back-channel logout
  // (called by Keycloak without a cookie) and health. It passes here only to
  // get the headers (and to lose any session hand-off header a client sent).
  const response = request.nextUrl.pathname.startsWith("/api/") ? passWithoutHandoff(request) : await protectRoutes(request);
  // The same headers as next.config.ts, plus HSTS, which needs WEB_URL at run time.
  for (const { key, value } of securityHeaders(webConfig().webUrl)) response.headers.set(key, value);
  return response;
}

export const config = {
  // Not for static assets (next.config.ts gives them the headers without HSTS).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
