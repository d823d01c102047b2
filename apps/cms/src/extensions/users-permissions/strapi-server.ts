// Strapi's hook for changing a plugin before it loads (src/extensions/<plugin>).
import { disableLocalAuthRoutes } from "../../auth/strapi/disable-local-auth-routes";
import { addKeycloakSubject } from "../../auth/users/add-keycloak-subject";
import { cmsConfig } from "../../cms-config";

interface UsersPermissionsPlugin {
  contentTypes: { user: { schema: Parameters<typeof addKeycloakSubject>[0] } };
  routes: { "content-api": Parameters<typeof disableLocalAuthRoutes>[0] };
}

export default (plugin: UsersPermissionsPlugin) => {
  addKeycloakSubject(plugin.contentTypes.user.schema);
  disableLocalAuthRoutes(plugin.routes["content-api"], cmsConfig().keycloak.issuer);
  return plugin;
};
