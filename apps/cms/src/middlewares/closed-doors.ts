// Closes every route but the content API and the health check while the admin
// panel is off (CMS_ADMIN_PANEL). Strapi mounts its admin API whether or not the
// panel's web page is served, and that API issues its own tokens: on a fresh
// database `POST /admin/register-admin` makes whoever calls first a super
// admin who reads every note through `/content-manager`. Registered in
// config/middlewares.ts before CORS and the router, so a closed path answers
// exactly like a path that does not exist (404, Koa's "Not Found"), preflights
// included.
import type { Core } from "@strapi/strapi";
import { cmsConfig } from "../cms-config";
import { isPublishedPath } from "../routing/is-published-path";

interface Ctx {
  path: string;
  status: number;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  if (cmsConfig().adminPanel.enabled) return (_ctx: Ctx, next: () => Promise<void>) => next();
  const apiPrefix = strapi.config.get<string>("api.rest.prefix", "/api");
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (isPublishedPath(ctx.path, apiPrefix)) return next();
    ctx.status = 404;
  };
};
