// Strapi's application lifecycles.
import type { Core } from "@strapi/strapi";
import { ensureFirstAdmin } from "./admin-panel/ensure-first-admin";
import { createKeycloakAuth, type KeycloakAuth } from "./auth/strapi/create-keycloak-auth";
import { ensureRolePermissions } from "./auth/roles/ensure-role-permissions";
import { useKeycloakStrategyFirst } from "./auth/strapi/use-keycloak-strategy-first";
import { createBenchRoutes, type BenchRoutes } from "./bench/bench-routes";
import { loadCmsConfig } from "./cms-config";

let auth: KeycloakAuth | undefined;
// Only with CMS_BENCH_ROUTES=true (refused in production): see src/bench/.
let bench: BenchRoutes | undefined;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    auth = createKeycloakAuth(strapi, loadCmsConfig().config);
    strapi.get("auth").register("content-api", auth.strategy);
    if (loadCmsConfig().config.bench.routes) bench = createBenchRoutes(strapi, loadCmsConfig().config);
  },

  destroy() {
    auth?.revocation.stop();
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (!auth) throw new Error("The Keycloak strategy was not registered.");
    const { config, warnings } = loadCmsConfig();
    for (const warning of warnings) strapi.log.warn(`[config] ${warning}`);

    // Before Strapi listens, so no caller can be the first to register an admin.
    if (config.adminPanel.enabled) {
      const outcome = await ensureFirstAdmin(strapi, config.adminPanel.firstAdmin);
      strapi.log.warn(`Admin panel and admin API open (CMS_ADMIN_PANEL); first admin ${outcome === "created" ? "created from CMS_ADMIN_EMAIL" : "already exists"}.`);
    }

    const current = auth;
    const roleIds = await ensureRolePermissions(strapi);
    current.setRoleIds(roleIds);
    const guarded = useKeycloakStrategyFirst(strapi);
    strapi.log.info(`Keycloak strategy guards ${guarded.length} content-API routes (issuer ${config.keycloak.issuer}).`);
    if (bench) strapi.log.warn(`Bench routes on (CMS_BENCH_ROUTES): ${(await bench.mount(roleIds)).length} routes under /api/bench.`);

    // Changes made in Strapi's admin panel take effect at once in this process
    // (other instances pick them up when their caches expire).
    strapi.db.lifecycles.subscribe({
      models: ["plugin::users-permissions.user"],
      afterUpdate: () => current.users.invalidate(),
      afterUpdateMany: () => current.users.invalidate(),
      afterDelete: () => current.users.invalidate(),
      afterDeleteMany: () => current.users.invalidate(),
    });
    strapi.db.lifecycles.subscribe({
      models: ["plugin::users-permissions.permission", "plugin::users-permissions.role"],
      afterCreate: () => current.abilities.invalidate(),
      afterUpdate: () => current.abilities.invalidate(),
      afterDelete: () => current.abilities.invalidate(),
      afterDeleteMany: () => current.abilities.invalidate(),
    });

    await current.revocation.start();

    if (!(await current.keys.warmUp())) {
      strapi.log.warn("Keycloak's signing keys could not be fetched at start; retrying on the first request.");
    }
  },
};
