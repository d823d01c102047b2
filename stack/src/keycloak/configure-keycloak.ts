// What the stack runner sets in a running Keycloak once it answers: the
// generated admin password (production), the SSF receiver scopes of the `cms`
// client, the API clients' scopes, and the dev overlay when asked for.
import { readFileSync } from "node:fs";
import type { StackConfig } from "../stack-config.ts";
import { createAdminClient } from "./admin-client.ts";
import { adoptAdminPassword } from "./adopt-admin-password.ts";
import { applyApiClientScopes } from "./api-client-scopes.ts";
import { applyDevOverlay } from "./dev-overlay.ts";
import { realmFile } from "./keycloak-server.ts";
import { assignSsfReceiverScopes } from "./ssf-receiver-scopes.ts";

export async function configureKeycloak(config: StackConfig, say: (line: string) => void): Promise<void> {
  if (config.production) {
    const login = { keycloakUrl: config.keycloakUrl, user: config.admin.user, password: config.admin.password };
    if ((await adoptAdminPassword(login)) === "replaced") say(`Keycloak admin ${config.admin.user}: the old password admin replaced by the generated one`);
  }
  const admin = await createAdminClient({ keycloakUrl: config.keycloakUrl, user: config.admin.user, password: config.admin.password });
  const scopes = await assignSsfReceiverScopes(admin, config.realm, "cms");
  if (scopes.length > 0) say(`Shared Signals receiver scopes ${scopes.join(", ")} given to the cms client`);
  const apiScopes = await applyApiClientScopes(admin, config.realm, readFileSync(realmFile, "utf8"));
  if (apiScopes.length > 0) say(`API client scopes: ${apiScopes.join("; ")}`);
  if (config.devOverlay) {
    await applyDevOverlay(admin, config);
    say("dev overlay applied (demo users, mock Google and GitHub)");
  }
}
