// Strapi tries content-API strategies in registration order: API tokens, then
// users-permissions, then ours. A route's `config.auth.strategies` overrides
// that order, so every content-API route is pointed at the Keycloak strategy
// alone: no API-token database lookup per request, and no Strapi-issued JWT is
// ever accepted. Runs in bootstrap, after Strapi registered the routes; the
// composed endpoints read `route.config` at request time, so the change applies.
import type { Core } from "@strapi/strapi";
import { KEYCLOAK_STRATEGY_NAME } from "./keycloak-strategy";

interface RouteDefinition {
  path: string;
  method: string;
  config?: { auth?: false | Record<string, unknown> } & Record<string, unknown>;
}

interface Router {
  type?: string;
  routes?: RouteDefinition[];
}

/** Returns the content-API routes now guarded by the Keycloak strategy. */
export function useKeycloakStrategyFirst(strapi: Core.Strapi): RouteDefinition[] {
  const routers: Router[] = [];
  for (const api of Object.values(strapi.apis as Record<string, { routes?: Record<string, Router> }>)) {
    routers.push(...Object.values(api.routes ?? {}));
  }
  for (const plugin of Object.values(strapi.plugins as Record<string, { routes?: unknown }>)) {
    if (plugin.routes && !Array.isArray(plugin.routes)) routers.push(...Object.values(plugin.routes as Record<string, Router>));
  }

  const guarded: RouteDefinition[] = [];
  for (const router of routers) {
    if (router.type !== "content-api") continue;
    for (const route of router.routes ?? []) {
      route.config ??= {};
      if (route.config.auth === false) continue;
      route.config.auth = { ...route.config.auth, strategies: [KEYCLOAK_STRATEGY_NAME] };
      guarded.push(route);
    }
  }
  return guarded;
}
