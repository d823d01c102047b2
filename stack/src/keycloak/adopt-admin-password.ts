// The production topology's Keycloak admin gets a generated password
// (stack-config.ts). Keycloak creates its bootstrap admin only on an empty
// database, so a database set up before that change still has `admin`/`admin`:
// this signs in with the old password once and replaces it with the
// generated one, so an existing `npm run start:prod` keeps working and stops
// having the guessable password.
import { createAdminClient } from "./admin-client.ts";

/** The password every local stack's admin had before the production topology generated one. */
export const LEGACY_ADMIN_PASSWORD = "admin";

export class AdminPasswordError extends Error {
  readonly code = "ERR_KEYCLOAK_ADMIN_PASSWORD";
}

async function canSignIn(keycloakUrl: string, user: string, password: string): Promise<boolean> {
  const response = await fetch(`${keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: user, password }),
  });
  await response.body?.cancel();
  if (response.ok) return true;
  if (response.status === 401 || response.status === 400) return false;
  throw new AdminPasswordError(`Keycloak admin sign-in answered HTTP ${response.status}`);
}

/** `current`: the password works. `replaced`: the admin had the legacy password and now has `password`. */
export async function adoptAdminPassword(login: { keycloakUrl: string; user: string; password: string }): Promise<"current" | "replaced"> {
  if (await canSignIn(login.keycloakUrl, login.user, login.password)) return "current";
  if (login.password === LEGACY_ADMIN_PASSWORD || !(await canSignIn(login.keycloakUrl, login.user, LEGACY_ADMIN_PASSWORD))) {
    throw new AdminPasswordError(
      `Keycloak's admin ${login.user} accepts neither the configured password nor the legacy one; ` +
        "set KEYCLOAK_ADMIN_PASSWORD to the admin's password, or reset the stack's data (npm run reset:prod).",
    );
  }
  const admin = await createAdminClient({ keycloakUrl: login.keycloakUrl, user: login.user, password: LEGACY_ADMIN_PASSWORD });
  const [user] = await admin.users.find({ realm: "master", username: login.user, exact: true });
  if (!user?.id) throw new AdminPasswordError(`no user ${login.user} in the master realm`);
  await admin.users.resetPassword({ realm: "master", id: user.id, credential: { type: "password", value: login.password, temporary: false } });
  return "replaced";
}
