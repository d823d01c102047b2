import { createRouteProtection } from "@/server/auth";

// Route protection lives in the auth module; this file only says which paths.
export const proxy = createRouteProtection({ protectedPaths: ["/notes", "/account"] });

export const config = {
  // Not for static assets, nor for /api: next-auth's endpoints, the back-channel
  // logout (called by Keycloak without a cookie) and health answer for themselves.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
