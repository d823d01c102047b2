// The only paths Strapi answers while its admin panel is closed: the content
// API (`api.rest.prefix`, `/api`) and the health check the stack runner and the
// container health checks wait on. Everything else Strapi mounts (`/admin`,
// `/content-manager`, `/content-type-builder`, `/upload`, `/i18n`,
// `/users-permissions`, plugins added later) is admin-panel API: it has its own
// token issuer (`/admin/register-admin`, `/admin/login`) next to Keycloak.

const HEALTH_PATH = "/_health";

// @koa/router matches the raw path without normalising it, but a proxy in
// front may not: a path with dot segments or encoded separators could resolve
// to a closed route there. No content-API path needs them.
const AMBIGUOUS = /(^|\/)\.{1,2}(\/|$)|%2e|%2f|%5c|\\/i;

/** Whether `path` (the request's path, without query) may reach Strapi's router. */
export function isPublishedPath(path: string, apiPrefix = "/api"): boolean {
  if (AMBIGUOUS.test(path)) return false;
  return path === HEALTH_PATH || path === apiPrefix || path.startsWith(`${apiPrefix}/`);
}
