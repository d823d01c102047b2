import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addKeycloakSubject, KEYCLOAK_SUB_INDEX } from "../src/auth/users/add-keycloak-subject";
import { disableLocalAuthRoutes } from "../src/auth/strapi/disable-local-auth-routes";

// The real users-permissions plugin, whose content-API router the extension
// receives; loaded as CommonJS, as Strapi loads it (its .mjs build does not
// resolve under plain Node ESM).
const loadPlugin = createRequire(path.join(process.cwd(), "index.js"));
const usersPermissions = loadPlugin("@strapi/plugin-users-permissions/strapi-server") as () => {
  routes: { "content-api": Parameters<typeof disableLocalAuthRoutes>[0] };
};

describe("disableLocalAuthRoutes", () => {
  it("replaces every users-permissions credential route with a 410 that points at Keycloak", async () => {
    (globalThis as { strapi?: unknown }).strapi = { plugin: () => ({ config: () => ({}) }) };
    const router = usersPermissions().routes["content-api"];
    const disabled = disableLocalAuthRoutes(router, "http://localhost:8080/realms/app");
    const paths = disabled.join("\n");
    for (const path of [
      "POST /auth/local",
      "POST /auth/local/register",
      "POST /auth/forgot-password",
      "POST /auth/reset-password",
      "GET /auth/email-confirmation",
      "POST /auth/send-email-confirmation",
      "GET /connect/(.*)",
      "GET /auth/:provider/callback",
      "POST /auth/refresh",
      "POST /auth/change-password",
    ]) {
      expect(paths).toContain(path);
    }

    const routes = router.routes as { path: string; handler: unknown; config: { auth?: unknown } }[];
    const local = routes.find((route) => route.path === "/auth/local")!;
    expect(local.config.auth).toBe(false);
    const ctx = { status: 0, body: undefined as unknown };
    (local.handler as (c: typeof ctx) => void)(ctx);
    expect(ctx.status).toBe(410);
    expect(ctx.body).toMatchObject({ error: { code: "local_auth_disabled", details: { issuer: "http://localhost:8080/realms/app" } } });

    // The user routes stay, guarded by permissions.
    expect(routes.some((route) => route.path === "/users/me" && typeof route.handler === "string")).toBe(true);
  });
});

describe("addKeycloakSubject", () => {
  it("adds a private subject column with a database unique index, idempotently", () => {
    const schema = { attributes: { username: { type: "string" } } } as Parameters<typeof addKeycloakSubject>[0];
    addKeycloakSubject(schema);
    addKeycloakSubject(schema);
    expect(schema.attributes.keycloakSub).toMatchObject({ type: "string", private: true });
    expect(schema.indexes).toEqual([{ name: KEYCLOAK_SUB_INDEX, columns: ["keycloak_sub"], type: "unique" }]);
  });
});
