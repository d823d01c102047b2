import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { realmFile, realmImportEnv, themesDir } from "../keycloak/keycloak-server.ts";
import { loadStackConfig, repoRoot } from "../stack-config.ts";
import { keycloakImageBuild } from "./container-images.ts";
import { keycloakContainer, keycloakContainerDataDir } from "./keycloak-container.ts";

const scratch = mkdtempSync(join(tmpdir(), "keycloak-container-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const test = loadStackConfig("test", { STACK_STATE_DIR: join(scratch, "test") });
const prod = loadStackConfig("test-prod", { STACK_STATE_DIR: join(scratch, "test-prod"), STACK_POSTGRES_URL: "postgres://postgres@127.0.0.1:55432/postgres" });
const pin = (JSON.parse(readFileSync(join(repoRoot, "toolchain.json"), "utf8")) as { keycloak: string }).keycloak;
const user = "1234:0";

describe("keycloak container", () => {
  it("builds keycloak/Dockerfile on the official image at toolchain.json's version, so the realm's event listener is installed", () => {
    const spec = keycloakContainer(test, { user });
    expect(spec.build).toEqual({ context: join(repoRoot, "keycloak"), dockerfile: "Dockerfile", args: { KEYCLOAK_VERSION: pin } });
    expect(existsSync(join(spec.build!.context, spec.build!.dockerfile))).toBe(true);
    // A local tag (no registry host), naming the version and the sources it was built from.
    expect(spec.image).toMatch(new RegExp(`^kc-next-strapi-keycloak:${pin.replaceAll(".", "\\.")}-[0-9a-f]{12}$`));
    expect(keycloakContainer(prod, { user }).image).toBe(spec.image);
  });

  it("tags the image by the Dockerfile and the extensions' sources, so a changed extension is a new image", () => {
    const copy = join(scratch, "keycloak-context");
    cpSync(join(repoRoot, "keycloak", "Dockerfile"), join(copy, "Dockerfile"));
    cpSync(join(repoRoot, "keycloak", "extensions"), join(copy, "extensions"), { recursive: true });
    const before = keycloakImageBuild(copy).image;
    expect(before).toBe(keycloakContainer(test, { user }).image);
    writeFileSync(join(copy, "extensions", "disabled-user-logout", "src", "main", "java", "Extra.java"), "class Extra {}\n");
    expect(keycloakImageBuild(copy).image).not.toBe(before);
    expect(keycloakImageBuild(copy).build.context).toBe(copy);
  });

  it("listens inside the container on the stack's own ports, published one to one", () => {
    // Keycloak calls its own public URL (the mock providers' token endpoints):
    // inside the container localhost:<port> must be Keycloak itself.
    const spec = keycloakContainer(test, { user });
    expect(spec.ports).toEqual([
      { container: test.ports.keycloak, host: test.ports.keycloak },
      { container: test.ports.keycloakManagement, host: test.ports.keycloakManagement },
    ]);
    expect(spec.command).toContain(`--http-port=${test.ports.keycloak}`);
    expect(spec.command).toContain(`--http-management-port=${test.ports.keycloakManagement}`);
  });

  it("pins the hostname to the public URL and imports the realm", () => {
    const spec = keycloakContainer(test, { user });
    expect(spec.command).toContain(`--hostname=${test.keycloakUrl}`);
    expect(spec.command).toContain("--import-realm");
    expect(spec.bindMounts).toContainEqual({ source: realmFile, target: "/opt/keycloak/data/import/app-realm.json", mode: "ro" });
    for (const theme of readdirSync(themesDir)) {
      expect(spec.bindMounts).toContainEqual({ source: join(themesDir, theme), target: `/opt/keycloak/themes/${theme}`, mode: "ro" });
    }
  });

  it("waits for readiness on the management port, within the native runner's budget", () => {
    const spec = keycloakContainer(test, { user });
    expect(spec.wait).toEqual({ kind: "http", path: "/health/ready", port: test.ports.keycloakManagement, status: 200 });
    expect(spec.command).toContain("--health-enabled=true");
    expect(spec.startupTimeoutMs).toBe(240_000);
    // Stopped before the supervised child's SIGKILL (20 s natively).
    expect(spec.stopTimeoutMs).toBeLessThan(20_000);
  });

  it("dev and tests: start-dev on a dev-file database kept on this machine, written as this machine's user", () => {
    const spec = keycloakContainer(test, { user });
    expect(spec.command.slice(0, 2)).toEqual(["start-dev", "--health-enabled=true"]);
    expect(spec.command.some((arg) => arg.startsWith("--db"))).toBe(false);
    expect(spec.bindMounts).toContainEqual({ source: keycloakContainerDataDir(test), target: "/opt/keycloak/data/h2", mode: "rw" });
    expect(keycloakContainerDataDir(test).startsWith(test.stateDir)).toBe(true);
    expect(spec.user).toBe(user);
  });

  it("production topology: start on PostgreSQL reached through the host gateway, credentials only in the environment", () => {
    const spec = keycloakContainer(prod, { user });
    const p = prod.production!;
    expect(spec.command.slice(0, 4)).toEqual(["start", "--db=postgres", "--health-enabled=true", "--cache=local"]);
    expect(spec.command).toContain(`--db-url=jdbc:postgresql://host.docker.internal:55432/${p.keycloakDatabase}`);
    expect(spec.command).toContain("--http-enabled=true");
    expect(spec.env.KC_DB_USERNAME).toBe(p.keycloakDatabase);
    expect(spec.env.KC_DB_PASSWORD).toBe(prod.secrets.keycloakDbPassword);
    expect(spec.command.join(" ")).not.toContain(prod.secrets.keycloakDbPassword);
    expect(spec.bindMounts.some((mount) => mount.mode === "rw")).toBe(false);
    expect(spec.user).toBeUndefined();
  });

  it("imports the realm with the native variables, pointing back-channel logout and SMTP at this machine", () => {
    const spec = keycloakContainer(test, { user });
    const native = realmImportEnv(test);
    for (const [name, value] of Object.entries(native)) {
      if (name === "WEB_INTERNAL_URL" || name === "SMTP_HOST") continue;
      expect(spec.env[name], name).toBe(value);
    }
    expect(spec.env.WEB_INTERNAL_URL).toBe(`http://host.docker.internal:${test.ports.web}`);
    expect(spec.env.SMTP_HOST).toBe("host.docker.internal");
    expect(spec.env.SMTP_PORT).toBe(String(test.ports.smtp));
    expect(spec.extraHosts).toEqual([{ host: "host.docker.internal", ipAddress: "host-gateway" }]);
    expect(spec.env.KC_BOOTSTRAP_ADMIN_USERNAME).toBe(test.admin.user);
    expect(spec.env.KC_BOOTSTRAP_ADMIN_PASSWORD).toBe(test.admin.password);
    // Never on the command line, where `ps` and `docker inspect` show it.
    expect(spec.command.join(" ")).not.toContain(test.secrets.webClientSecret);
  });
});
