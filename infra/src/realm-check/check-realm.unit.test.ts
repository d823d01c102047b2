// checkRealm against a stand-in admin client: the realm matches the file, and
// the only question is whether the server has the events listeners it lists.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AdminClient } from "../keycloak/admin-client.ts";
import { checkRealm } from "./check-realm.ts";

const scratch = mkdtempSync(join(tmpdir(), "check-realm-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const realm = { realm: "app", eventsEnabled: true, eventsListeners: ["jboss-logging", "disabled-user-logout"] };
const realmFile = join(scratch, "realm.json");
writeFileSync(realmFile, JSON.stringify(realm));

function adminWith(installedListeners: string[]): AdminClient {
  return {
    realms: { export: async () => structuredClone(realm) },
    serverInfo: { find: async () => ({ providers: { eventsListener: { providers: Object.fromEntries(installedListeners.map((id) => [id, {}])) } } }) },
  } as unknown as AdminClient;
}

describe("checkRealm and the events listeners the file enables", () => {
  it("finds nothing when the server has every listed listener", async () => {
    const result = await checkRealm({ admin: adminWith(["jboss-logging", "email", "disabled-user-logout"]), realm: "app", realmFile, variables: {} });
    expect(result.differences).toEqual([]);
  });

  it("reports a listed listener the server lacks, though the realm itself lists it (Keycloak imports it silently)", async () => {
    const result = await checkRealm({ admin: adminWith(["jboss-logging", "email"]), realm: "app", realmFile, variables: {} });
    expect(result.differences).toEqual([
      { path: "eventsListeners[disabled-user-logout]", kind: "missing", expected: expect.stringContaining("no such provider on this Keycloak") },
    ]);
  });
});
