// The production topology's admin password on a real Keycloak: an admin that
// still has the legacy password `admin` gets the generated one, once; an
// admin that has neither is reported, not guessed at. A throwaway admin of
// the test stack's master realm plays the old production admin.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { createAdminClient, type AdminClient } from "./admin-client.ts";
import { adoptAdminPassword, AdminPasswordError, LEGACY_ADMIN_PASSWORD } from "./adopt-admin-password.ts";

let stack: StackEnv;
let admin: AdminClient;
let userId: string;
const username = `legacy-admin-${randomUUID().slice(0, 8)}`;
const generated = randomBytes(32).toString("base64url");

async function signsIn(password: string): Promise<boolean> {
  const response = await fetch(`${stack.keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username, password }),
  });
  await response.body?.cancel();
  return response.ok;
}

beforeAll(async () => {
  stack = stackEnv();
  admin = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword });
  const created = await admin.users.create({
    realm: "master",
    username,
    enabled: true,
    credentials: [{ type: "password", value: LEGACY_ADMIN_PASSWORD, temporary: false }],
  });
  userId = created.id;
  const role = await admin.roles.findOneByName({ realm: "master", name: "admin" });
  await admin.users.addRealmRoleMappings({ realm: "master", id: userId, roles: [{ id: role!.id!, name: "admin" }] });
});

afterAll(async () => {
  if (userId) await admin.users.del({ realm: "master", id: userId });
});

describe("adoptAdminPassword", () => {
  it("replaces the legacy password with the generated one, then finds it current", async () => {
    const login = { keycloakUrl: stack.keycloakUrl, user: username, password: generated };
    expect(await adoptAdminPassword(login)).toBe("replaced");
    expect(await signsIn(generated)).toBe(true);
    expect(await signsIn(LEGACY_ADMIN_PASSWORD)).toBe(false);
    expect(await adoptAdminPassword(login)).toBe("current");
  });

  it("refuses, with a stable code, when neither password works", async () => {
    const attempt = adoptAdminPassword({ keycloakUrl: stack.keycloakUrl, user: username, password: "not-the-password-either" });
    await expect(attempt).rejects.toBeInstanceOf(AdminPasswordError);
    await expect(attempt).rejects.toMatchObject({ code: "ERR_KEYCLOAK_ADMIN_PASSWORD" });
    expect(await signsIn(generated)).toBe(true);
  });
});
