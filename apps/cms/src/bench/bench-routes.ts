// Routes for `npm run bench` (bench/src/strapi-throughput.ts): the same
// two handlers served four ways, so one Strapi process in one run shows what
// each way of authenticating costs:
//   off                       no authentication (the ceiling)
//   keycloak                  our strategy as configured (revocation check on)
//   keycloak-no-revocation    our strategy with KEYCLOAK_REVOCATION_WINDOW_SECONDS=0
//   users-permissions         Strapi's own JWT (HS256 + user, settings and
//                             permission queries per request)
// Handlers: `ping` (a constant body: the cost of auth alone) and `articles`
// (the real article list: one query plus a count).
//
// Each route names its strategy, as every product route does
// (use-keycloak-strategy-first.ts): Strapi validates a strategy given as an
// object on every request (lodash/fp checks, a few µs of CPU), one given by
// name is looked up. So the no-revocation variant is registered for the
// content API under its own name; no route but these names it.
//
// RISKY, hence CMS_BENCH_ROUTES, which cms-config refuses in production: `off`
// serves content without a token, and users-permissions' JWT is accepted on
// these routes while every product route stays Keycloak-only. The JWT comes
// from POST /api/bench/users-permissions-token, which itself requires a
// Keycloak token and issues a JWT for the caller's own CMS user only.
import type { Core } from "@strapi/strapi";
import type { CmsConfig } from "../cms-config";
import { createKeycloakAuth } from "../auth/strapi/create-keycloak-auth";
import { KEYCLOAK_STRATEGY_NAME } from "../auth/strapi/keycloak-strategy";
import type { CmsUser } from "../auth/users/user-store";

export const BENCH_MODES = ["off", "keycloak", "keycloak-no-revocation", "users-permissions"] as const;
type BenchMode = (typeof BENCH_MODES)[number];

// Every variant checks the same permission, which the public, authenticated
// and editor roles all hold.
const SCOPE = ["api::article.article.find"];

/** The content-API strategy name of `keycloak-no-revocation`. */
export const NO_REVOCATION_STRATEGY_NAME = "keycloak-bench-no-revocation";

type Handler = string | ((ctx: BenchContext) => void | Promise<void>);

interface BenchContext {
  state: { user?: Pick<CmsUser, "id" | "documentId"> };
  status: number;
  body: unknown;
}

export interface BenchRoute {
  method: "GET" | "POST";
  path: string;
  handler: Handler;
  config: { auth: false | { scope: string[]; strategies: string[] } };
}

export interface BenchRoutes {
  /** Adds the routes; call in bootstrap, after the role ids are known. Returns their paths. */
  mount(roleIds: Map<string, number>): Promise<string[]>;
}

/** Call in register, after the Keycloak strategy: the second one (revocation check off) needs its own caches and its own name. */
export function createBenchRoutes(strapi: Core.Strapi, config: CmsConfig): BenchRoutes {
  const withoutRevocation = createKeycloakAuth(strapi, {
    ...config,
    keycloak: { ...config.keycloak, revocationWindowSeconds: 0 },
  });
  strapi.get("auth").register("content-api", { ...withoutRevocation.strategy, name: NO_REVOCATION_STRATEGY_NAME });

  return {
    async mount(roleIds) {
      withoutRevocation.setRoleIds(roleIds);
      await withoutRevocation.keys.warmUp();
      const routes = benchRouteTable({
        issueStrapiJwt: (userId) => strapi.plugin("users-permissions").service("jwt").issue({ id: userId }),
      });
      strapi.server.routes({ type: "content-api", prefix: "/bench", routes } as unknown as Parameters<Core.Strapi["server"]["routes"]>[0]);
      return routes.map((route) => `${route.method} /api/bench${route.path}`);
    },
  };
}

export interface BenchRouteDeps {
  issueStrapiJwt(userId: number): string | Promise<string>;
}

export function benchRouteTable(deps: BenchRouteDeps): BenchRoute[] {
  const authFor = (mode: BenchMode): BenchRoute["config"]["auth"] => {
    switch (mode) {
      case "off":
        return false;
      case "keycloak":
        return { scope: SCOPE, strategies: [KEYCLOAK_STRATEGY_NAME] };
      case "keycloak-no-revocation":
        return { scope: SCOPE, strategies: [NO_REVOCATION_STRATEGY_NAME] };
      case "users-permissions":
        // By name: the strategy users-permissions registered for the content API.
        return { scope: SCOPE, strategies: ["users-permissions"] };
    }
  };
  const ping = (ctx: BenchContext) => {
    ctx.body = { data: { user: ctx.state.user?.documentId ?? null } };
  };

  const routes: BenchRoute[] = BENCH_MODES.flatMap((mode): BenchRoute[] => [
    { method: "GET", path: `/${mode}/ping`, handler: ping, config: { auth: authFor(mode) } },
    { method: "GET", path: `/${mode}/articles`, handler: "api::article.article.find", config: { auth: authFor(mode) } },
  ]);
  routes.push({
    method: "POST",
    path: "/users-permissions-token",
    handler: async (ctx) => {
      const user = ctx.state.user;
      if (!user) {
        ctx.status = 401;
        return;
      }
      ctx.body = { jwt: await deps.issueStrapiJwt(user.id) };
    },
    config: { auth: { scope: SCOPE, strategies: [KEYCLOAK_STRATEGY_NAME] } },
  });
  return routes;
}
