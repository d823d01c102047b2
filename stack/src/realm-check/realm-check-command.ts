// `npm run realm:check`: is the live realm what keycloak/realm-export.json says?
// Exit code 0 when it is, 1 when it differs, 2 when the check could not run.
//
//   KEYCLOAK_URL             Keycloak's base URL; unset: the local dev stack (npm start)
//   KEYCLOAK_REALM           the realm to check (default `app`)
//   KEYCLOAK_ADMIN_USER      an admin of the master realm (default `admin` on the dev stack)
//   KEYCLOAK_ADMIN_PASSWORD
//   REALM_FILE               the file to compare with (default keycloak/realm-export.json)
//
// Placeholders in the file are resolved from this process's environment, as
// Keycloak resolved them from its own when it imported the file; run the check
// with the same variables (WEB_URL, SMTP_HOST, KEYCLOAK_GOOGLE_ENABLED, ...).
// Against the dev stack the variables stack/ gave Keycloak are used, and the
// dev overlay's additions (mock providers) are listed as expected.
import { resolve } from "node:path";
import { createAdminClient } from "../keycloak/admin-client.ts";
import { devOverlayFootprint } from "../keycloak/dev-overlay-footprint.ts";
import { realmFile, realmImportEnv } from "../keycloak/keycloak-server.ts";
import { loadStackConfig } from "../stack-config.ts";
import type { StackEnvInput } from "../stack-env-input.ts";
import { checkRealm } from "./check-realm.ts";
import { formatDifference } from "./format-differences.ts";

export async function realmCheckCommand(input: StackEnvInput, write: (line: string) => void): Promise<number> {
  const dev = input.realmCheck.keycloakUrl ? undefined : loadStackConfig("dev", input);
  const keycloakUrl = (input.realmCheck.keycloakUrl ?? dev!.keycloakUrl).replace(/\/+$/, "");
  const realm = input.realmCheck.realm ?? "app";
  const file = resolve(input.realmCheck.file ?? realmFile);
  const user = input.keycloakAdminUser ?? dev?.admin.user;
  const password = input.keycloakAdminPassword ?? dev?.admin.password;
  if (!user || !password) {
    write("realm:check needs KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD (an admin of the master realm) when KEYCLOAK_URL is set.");
    return 2;
  }

  let result;
  try {
    const admin = await createAdminClient({ keycloakUrl, user, password });
    result = await checkRealm({
      admin,
      realm,
      realmFile: file,
      variables: dev ? { ...input.inherited, ...realmImportEnv(dev) } : input.inherited,
      expected: dev ? devOverlayFootprint(dev) : [],
    });
  } catch (error) {
    write(`realm:check could not read realm ${realm} at ${keycloakUrl}: ${(error as Error).message}`);
    if (dev) write("Is the dev stack running (npm start)? Or point KEYCLOAK_URL at the Keycloak to check.");
    return 2;
  }

  write(`realm:check: realm ${realm} at ${keycloakUrl} against ${file}`);
  for (const difference of result.differences) write(`  ${formatDifference(difference)}`);
  if (result.expected.length > 0) {
    write("Expected on a local stack (the dev overlay adds these):");
    for (const difference of result.expected) write(`  ${formatDifference(difference)}`);
  }
  if (result.unresolved.length > 0) {
    write(`Not compared (no value here for ${result.unresolved.join(", ")}; Keycloak reads these at import).`);
  }
  write(result.differences.length === 0 ? "No differences." : `${result.differences.length} difference(s).`);
  return result.differences.length === 0 ? 0 : 1;
}
