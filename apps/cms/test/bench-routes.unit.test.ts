import { describe, expect, it } from "vitest";
import { BENCH_MODES, benchRouteTable, NO_REVOCATION_STRATEGY_NAME, type BenchRoute } from "../src/bench/bench-routes";
import { KEYCLOAK_STRATEGY_NAME } from "../src/auth/strapi/keycloak-strategy";

const issued: number[] = [];
const routes = benchRouteTable({
  issueStrapiJwt: (userId) => {
    issued.push(userId);
    return `jwt-for-${userId}`;
  },
});
const route = (method: string, path: string): BenchRoute => {
  const found = routes.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
};

describe("bench routes", () => {
  it("serve ping and articles once per mode, differing only in authentication", () => {
    for (const handler of ["ping", "articles"]) {
      const byMode = BENCH_MODES.map((mode) => route("GET", `/${mode}/${handler}`));
      expect(new Set(byMode.map((r) => r.handler)).size).toBe(1);
    }
    expect(route("GET", "/off/ping").config.auth).toBe(false);
    expect(route("GET", "/keycloak/articles").config.auth).toEqual({ scope: ["api::article.article.find"], strategies: [KEYCLOAK_STRATEGY_NAME] });
    expect(route("GET", "/keycloak-no-revocation/articles").config.auth).toMatchObject({ strategies: [NO_REVOCATION_STRATEGY_NAME] });
    expect(route("GET", "/users-permissions/articles").config.auth).toMatchObject({ strategies: ["users-permissions"] });
    expect(route("GET", "/keycloak/articles").handler).toBe("api::article.article.find");
  });

  it("issue a Strapi JWT only behind the Keycloak strategy, for the caller's own user", async () => {
    const tokenRoute = route("POST", "/users-permissions-token");
    expect(tokenRoute.config.auth).toMatchObject({ strategies: [KEYCLOAK_STRATEGY_NAME] });
    const handler = tokenRoute.handler as (ctx: unknown) => Promise<void>;

    const signedIn = { state: { user: { id: 42, documentId: "doc-42" } }, status: 200, body: undefined as unknown };
    await handler(signedIn);
    expect(signedIn.body).toEqual({ jwt: "jwt-for-42" });

    const anonymous = { state: {}, status: 200, body: undefined as unknown };
    await handler(anonymous);
    expect(anonymous.status).toBe(401);
    expect(issued).toEqual([42]);
  });
});
