// Keycloak is the only issuer. users-permissions' own credential routes (local
// login and registration, forgot/reset password, email confirmation, provider
// connect and callback, its session refresh/logout endpoints) would hand out
// Strapi JWTs around it, so each one is replaced by a 410 that points at
// Keycloak. The paths stay routed so that callers get that message rather than
// a bare 404.

interface PluginRoute {
  method: string;
  path: string;
  handler: unknown;
  config?: Record<string, unknown>;
}

interface ContentApiRouter {
  routes: PluginRoute[];
}

const CREDENTIAL_PATH = /^\/(auth|connect)\//;

interface LocalAuthGoneBody {
  data: null;
  error: { status: 410; name: "GoneError"; code: "local_auth_disabled"; message: string; details: { issuer: string } };
}

function localAuthGoneBody(issuer: string): LocalAuthGoneBody {
  return {
    data: null,
    error: {
      status: 410,
      name: "GoneError",
      code: "local_auth_disabled",
      message:
        "Strapi does not sign anyone in. Sign in with Keycloak and call this API with its access token (Authorization: Bearer <token>).",
      details: { issuer },
    },
  };
}

/** Rewrites the plugin's content-API router in place; returns the paths it disabled. */
export function disableLocalAuthRoutes(router: ContentApiRouter, issuer: string): string[] {
  const body = localAuthGoneBody(issuer);
  const gone = (ctx: { status: number; body: unknown }) => {
    ctx.status = 410;
    ctx.body = body;
  };
  const disabled: string[] = [];
  router.routes = router.routes.map((route) => {
    if (!CREDENTIAL_PATH.test(route.path)) return route;
    disabled.push(`${route.method} ${route.path}`);
    return {
      method: route.method,
      path: route.path,
      handler: gone,
      // Keep the plugin's path prefix (none: these live under /api/auth).
      config: { prefix: route.config?.prefix, auth: false, policies: [], middlewares: [] },
    };
  });
  return disabled;
}
