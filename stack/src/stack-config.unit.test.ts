// The stack's one config module: where parts listen, and the production
// topology's Keycloak admin password (issue 10, item 3).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { realmFile, realmImportEnv } from "./keycloak/keycloak-server.ts";
import { ConfigError, loadStackConfig, type Profile } from "./stack-config.ts";

const scratch = mkdtempSync(join(tmpdir(), "stack-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const fresh = () => join(scratch, `state-${++folders}`);
const PROFILES: Profile[] = ["dev", "test", "prod", "test-prod", "bench"];

describe("bindHost", () => {
  it("is loopback for every profile unless a setting says otherwise", () => {
    for (const profile of PROFILES) expect(loadStackConfig(profile, { STACK_STATE_DIR: fresh() }).bindHost, profile).toBe("127.0.0.1");
  });

  it("follows STACK_BIND_HOST, and refuses what is not an IP address", () => {
    expect(loadStackConfig("dev", { STACK_STATE_DIR: fresh(), STACK_BIND_HOST: "0.0.0.0" }).bindHost).toBe("0.0.0.0");
    expect(loadStackConfig("test", { STACK_STATE_DIR: fresh(), STACK_BIND_HOST: "::1" }).bindHost).toBe("::1");
    expect(() => loadStackConfig("dev", { STACK_STATE_DIR: fresh(), STACK_BIND_HOST: "example.com" })).toThrow(ConfigError);
    expect(() => loadStackConfig("dev", { STACK_STATE_DIR: fresh(), STACK_BIND_HOST: "example.com" })).toThrow(/STACK_BIND_HOST=example\.com/);
  });

  it("opens up for STACK_RUNTIME=containers, whose Keycloak calls the native web app through the host gateway", () => {
    expect(loadStackConfig("test", { STACK_STATE_DIR: fresh(), STACK_RUNTIME: "containers" }).bindHost).toBe("0.0.0.0");
    expect(loadStackConfig("test", { STACK_STATE_DIR: fresh(), STACK_RUNTIME: "containers", STACK_BIND_HOST: "127.0.0.1" }).bindHost).toBe("127.0.0.1");
  });
});

describe("the Keycloak bootstrap admin", () => {
  it("keeps admin/admin for dev, test and bench (documented as dev only)", () => {
    for (const profile of ["dev", "test", "bench"] as const) {
      expect(loadStackConfig(profile, { STACK_STATE_DIR: fresh() }).admin, profile).toEqual({ user: "admin", password: "admin" });
    }
  });

  it("gets a random password in the production topology, kept with the other generated secrets", () => {
    for (const profile of ["prod", "test-prod"] as const) {
      const stateDir = fresh();
      const config = loadStackConfig(profile, { STACK_STATE_DIR: stateDir });
      expect(config.admin.user).toBe("admin");
      expect(config.admin.password).not.toBe("admin");
      expect(config.admin.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const file = join(stateDir, "secrets.json");
      expect(JSON.parse(readFileSync(file, "utf8")).keycloakAdminPassword).toBe(config.admin.password);
      expect(statSync(file).mode & 0o077).toBe(0);
      // The same on the next start (the database keeps the admin), another in another state folder.
      expect(loadStackConfig(profile, { STACK_STATE_DIR: stateDir }).admin.password).toBe(config.admin.password);
      expect(loadStackConfig(profile, { STACK_STATE_DIR: fresh() }).admin.password).not.toBe(config.admin.password);
    }
  });

  it("adds the password to a secrets file written before it existed, keeping the secrets already in it", () => {
    const stateDir = fresh();
    const { keycloakAdminPassword: _, ...older } = loadStackConfig("prod", { STACK_STATE_DIR: stateDir }).secrets;
    writeFileSync(join(stateDir, "secrets.json"), JSON.stringify(older));
    const config = loadStackConfig("prod", { STACK_STATE_DIR: stateDir });
    expect(config.secrets).toMatchObject(older);
    expect(config.admin.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(readFileSync(join(stateDir, "secrets.json"), "utf8")).keycloakAdminPassword).toBe(config.admin.password);
  });

  it("takes KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD when set", () => {
    expect(loadStackConfig("prod", { STACK_STATE_DIR: fresh(), KEYCLOAK_ADMIN_USER: "ops", KEYCLOAK_ADMIN_PASSWORD: "chosen-password" }).admin).toEqual({
      user: "ops",
      password: "chosen-password",
    });
  });
});

describe("the realm's sslRequired", () => {
  it("defaults to all in the realm file, for real deployments", () => {
    expect(JSON.parse(readFileSync(realmFile, "utf8")).sslRequired).toBe("${KEYCLOAK_SSL_REQUIRED:all}");
  });

  it("is external on every local stack, which serves plain HTTP on loopback", () => {
    for (const profile of PROFILES) expect(realmImportEnv(loadStackConfig(profile, { STACK_STATE_DIR: fresh() })).KEYCLOAK_SSL_REQUIRED, profile).toBe("external");
  });
});

describe("the production topology's PostgreSQL and Redis", () => {
  it("test:prod runs its own (Keycloak's port + 21 and + 20) unless STACK_POSTGRES_URL / STACK_REDIS_URL name one", () => {
    const own = loadStackConfig("test-prod", { STACK_STATE_DIR: fresh(), STACK_TEST_PROD_KEYCLOAK_PORT: "30000" }).production!;
    expect(own).toMatchObject({ ownedPostgresPort: 30021, postgresAdminUrl: "postgres://postgres@127.0.0.1:30021/postgres", postgresPort: 30021, ownedRedisPort: 30020 });
    const given = loadStackConfig("test-prod", { STACK_STATE_DIR: fresh(), STACK_POSTGRES_URL: "postgres://admin:pw@db.internal:6543/postgres", STACK_REDIS_URL: "redis://127.0.0.1:6390" }).production!;
    expect(given).toMatchObject({ ownedPostgresPort: undefined, ownedRedisPort: undefined, postgresHost: "db.internal", postgresPort: 6543 });
  });

  it("start:prod uses the machine's (or the given) servers, never its own", () => {
    const prod = loadStackConfig("prod", { STACK_STATE_DIR: fresh() }).production!;
    expect(prod).toMatchObject({ ownedPostgresPort: undefined, ownedRedisPort: undefined, postgresAdminUrl: "postgres://postgres@127.0.0.1:5432/postgres" });
  });
});
