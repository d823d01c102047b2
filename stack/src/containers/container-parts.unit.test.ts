// The mapping of the stack's parts onto testcontainers, read back from each
// GenericContainer's create options: building one contacts no engine.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GenericContainer } from "testcontainers";
import { afterAll, describe, expect, it } from "vitest";
import { realmFile, realmImportEnv, themesDir } from "../keycloak/keycloak-server.ts";
import { mailHealthUrl } from "../parts/mail-catcher.ts";
import { loadStackConfig, repoRoot } from "../stack-config.ts";
import {
  hostFromContainer,
  keycloakContainer,
  keycloakImageBuild,
  mailContainer,
  POSTGRES_IMAGE,
  postgresContainer,
  REDIS_IMAGE,
  redisContainer,
  urlFromContainer,
} from "./container-parts.ts";
import { keycloakContainerDataDir } from "./container-runtime.ts";

interface Internals {
  imageName: { string: string };
  createOpts: {
    Cmd?: string[];
    Env?: string[];
    User?: string;
    Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
    Labels?: Record<string, string>;
  };
  hostConfig: { PortBindings?: Record<string, { HostPort: string }[]>; Binds?: string[]; ExtraHosts?: string[] };
  waitStrategy: { constructor: { name: string }; path?: string; port?: number };
  startupTimeoutMs?: number;
}
const read = (container: GenericContainer) => container as unknown as Internals;
const envOf = (container: GenericContainer) =>
  Object.fromEntries((read(container).createOpts.Env ?? []).map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));

const scratch = mkdtempSync(join(tmpdir(), "container-parts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dev = loadStackConfig("dev", { STACK_STATE_DIR: join(scratch, "dev") });
const test = loadStackConfig("test", { STACK_STATE_DIR: join(scratch, "test") });
const prod = loadStackConfig("test-prod", { STACK_STATE_DIR: join(scratch, "test-prod"), STACK_POSTGRES_URL: "postgres://postgres@127.0.0.1:55432/postgres" });
const pin = (JSON.parse(readFileSync(join(repoRoot, "toolchain.json"), "utf8")) as { keycloak: string }).keycloak;
const user = "1234:0";

describe("container host", () => {
  it("turns this machine's loopback URLs into the host gateway, and leaves others alone", () => {
    expect(urlFromContainer("http://localhost:13000")).toBe("http://host.docker.internal:13000");
    expect(urlFromContainer("http://127.0.0.1:13000/api")).toBe("http://host.docker.internal:13000/api");
    expect(urlFromContainer("http://localhost:13000/")).toBe("http://host.docker.internal:13000/");
    expect(urlFromContainer("https://app.example.com")).toBe("https://app.example.com");
  });

  it("does the same for bare host names", () => {
    expect(hostFromContainer("localhost")).toBe("host.docker.internal");
    expect(hostFromContainer("127.0.0.1")).toBe("host.docker.internal");
    expect(hostFromContainer("db.internal")).toBe("db.internal");
  });
});

describe("keycloak container", () => {
  it("runs keycloak/Dockerfile's build on the official image at toolchain.json's version, so the realm's event listener is installed", () => {
    const build = keycloakImageBuild();
    expect(build.context).toBe(join(repoRoot, "keycloak"));
    expect(build.args).toEqual({ KEYCLOAK_VERSION: pin });
    expect(existsSync(join(build.context, "Dockerfile"))).toBe(true);
    // A local tag (no registry host), naming the version and the sources it was built from.
    expect(build.image).toMatch(new RegExp(`^kc-next-strapi-keycloak:${pin.replaceAll(".", "\\.")}-[0-9a-f]{12}$`));
    expect(read(keycloakContainer(test, user)).imageName.string).toBe(build.image);
    expect(read(keycloakContainer(prod, user)).imageName.string).toBe(build.image);
  });

  it("tags the image by the Dockerfile and the extensions' sources, so a changed extension is a new image", () => {
    const copy = join(scratch, "keycloak-context");
    cpSync(join(repoRoot, "keycloak", "Dockerfile"), join(copy, "Dockerfile"));
    cpSync(join(repoRoot, "keycloak", "extensions"), join(copy, "extensions"), { recursive: true });
    const before = keycloakImageBuild(copy).image;
    expect(before).toBe(keycloakImageBuild().image);
    writeFileSync(join(copy, "extensions", "disabled-user-logout", "src", "main", "java", "Extra.java"), "class Extra {}\n");
    expect(keycloakImageBuild(copy).image).not.toBe(before);
    expect(keycloakImageBuild(copy).context).toBe(copy);
  });

  it("listens inside the container on the stack's own ports, published one to one", () => {
    // Keycloak calls its own public URL (the mock providers' token endpoints):
    // inside the container localhost:<port> must be Keycloak itself.
    const c = read(keycloakContainer(test, user));
    expect(c.hostConfig.PortBindings).toEqual({
      [`${test.ports.keycloak}/tcp`]: [{ HostPort: String(test.ports.keycloak) }],
      [`${test.ports.keycloakManagement}/tcp`]: [{ HostPort: String(test.ports.keycloakManagement) }],
    });
    expect(c.createOpts.Cmd).toContain(`--http-port=${test.ports.keycloak}`);
    expect(c.createOpts.Cmd).toContain(`--http-management-port=${test.ports.keycloakManagement}`);
    expect(c.createOpts.Labels).toMatchObject({ "org.kc-next-strapi.part": "keycloak" });
  });

  it("pins the hostname to the public URL and imports the realm", () => {
    const c = read(keycloakContainer(test, user));
    expect(c.createOpts.Cmd).toContain(`--hostname=${test.keycloakUrl}`);
    expect(c.createOpts.Cmd).toContain("--import-realm");
    expect(c.hostConfig.Binds).toContain(`${realmFile}:/opt/keycloak/data/import/app-realm.json:ro`);
    for (const theme of readdirSync(themesDir)) {
      expect(c.hostConfig.Binds).toContain(`${join(themesDir, theme)}:/opt/keycloak/themes/${theme}:ro`);
    }
  });

  it("waits for readiness on the management port, within the native runner's budget", () => {
    const c = read(keycloakContainer(test, user));
    expect(c.waitStrategy.constructor.name).toBe("HttpWaitStrategy");
    expect(c.waitStrategy).toMatchObject({ path: "/health/ready", port: test.ports.keycloakManagement });
    expect(c.createOpts.Cmd).toContain("--health-enabled=true");
    expect(c.startupTimeoutMs).toBe(240_000);
  });

  it("dev and tests: start-dev on a dev-file database kept on this machine, written as this machine's user", () => {
    const c = read(keycloakContainer(test, user));
    expect(c.createOpts.Cmd!.slice(0, 2)).toEqual(["start-dev", "--health-enabled=true"]);
    expect(c.createOpts.Cmd!.some((arg) => arg.startsWith("--db"))).toBe(false);
    expect(c.hostConfig.Binds).toContain(`${keycloakContainerDataDir(test)}:/opt/keycloak/data/h2:rw`);
    expect(keycloakContainerDataDir(test).startsWith(test.stateDir)).toBe(true);
    expect(c.createOpts.User).toBe(user);
  });

  it("production topology: start on PostgreSQL reached through the host gateway, credentials only in the environment", () => {
    const container = keycloakContainer(prod, user);
    const c = read(container);
    const p = prod.production!;
    expect(c.createOpts.Cmd!.slice(0, 4)).toEqual(["start", "--db=postgres", "--health-enabled=true", "--cache=local"]);
    expect(c.createOpts.Cmd).toContain(`--db-url=jdbc:postgresql://host.docker.internal:55432/${p.keycloakDatabase}`);
    expect(c.createOpts.Cmd).toContain("--http-enabled=true");
    expect(envOf(container).KC_DB_USERNAME).toBe(p.keycloakDatabase);
    expect(envOf(container).KC_DB_PASSWORD).toBe(prod.secrets.keycloakDbPassword);
    expect(c.createOpts.Cmd!.join(" ")).not.toContain(prod.secrets.keycloakDbPassword);
    expect(c.hostConfig.Binds!.some((bind) => bind.endsWith(":rw"))).toBe(false);
    expect(c.createOpts.User).toBeUndefined();
  });

  it("imports the realm with the native variables, pointing back-channel logout and SMTP at this machine", () => {
    const container = keycloakContainer(test, user);
    const env = envOf(container);
    for (const [name, value] of Object.entries(realmImportEnv(test))) {
      if (name === "WEB_INTERNAL_URL" || name === "SMTP_HOST") continue;
      expect(env[name], name).toBe(value);
    }
    expect(env.WEB_INTERNAL_URL).toBe(`http://host.docker.internal:${test.ports.web}`);
    expect(env.SMTP_HOST).toBe("host.docker.internal");
    expect(env.SMTP_PORT).toBe(String(test.ports.smtp));
    expect(read(container).hostConfig.ExtraHosts).toEqual(["host.docker.internal:host-gateway"]);
    expect(env.KC_BOOTSTRAP_ADMIN_USERNAME).toBe(test.admin.user);
    expect(env.KC_BOOTSTRAP_ADMIN_PASSWORD).toBe(test.admin.password);
    // Never on the command line, where `ps` and `docker inspect` show it.
    expect(read(container).createOpts.Cmd!.join(" ")).not.toContain(test.secrets.webClientSecret);
  });
});

describe("mail container", () => {
  it("runs MailDev's image at the version of the npm package the native runner starts", () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, "stack", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(read(mailContainer(test, user)).imageName.string).toBe(`maildev/maildev:${manifest.dependencies.maildev}`);
  });

  it("serves SMTP and the inbox on the stack's ports, reachable from outside the container", () => {
    const container = mailContainer(test, user);
    expect(read(container).hostConfig.PortBindings).toEqual({
      [`${test.ports.smtp}/tcp`]: [{ HostPort: String(test.ports.smtp) }],
      [`${test.ports.mailUi}/tcp`]: [{ HostPort: String(test.ports.mailUi) }],
    });
    expect(envOf(container)).toMatchObject({
      MAILDEV_SMTP_PORT: String(test.ports.smtp),
      MAILDEV_WEB_PORT: String(test.ports.mailUi),
      MAILDEV_IP: "0.0.0.0",
      MAILDEV_WEB_IP: "0.0.0.0",
      MAILDEV_MAX_EMAILS: "500",
    });
  });

  it("is ready when the inbox API answers on the path the native runner waits on", () => {
    const c = read(mailContainer(test, user));
    expect(c.waitStrategy).toMatchObject({ path: "/api/healthz", port: test.ports.mailUi });
    expect(mailHealthUrl(test)).toBe(`http://localhost:${test.ports.mailUi}/api/healthz`);
  });

  it("keeps dev's inbox on this machine; a test run starts empty", () => {
    const devContainer = mailContainer(dev, "1234:1234");
    expect(read(devContainer).hostConfig.Binds).toEqual([`${join(dev.stateDir, "mail")}:/mail:rw`]);
    expect(envOf(devContainer).MAILDEV_MAIL_DIRECTORY).toBe("/mail");
    expect(read(devContainer).createOpts.User).toBe("1234:1234");
    const testContainer = mailContainer(test, "1234:1234");
    expect(read(testContainer).hostConfig.Binds ?? []).toEqual([]);
    expect(envOf(testContainer).MAILDEV_MAIL_DIRECTORY).toBeUndefined();
  });
});

describe("PostgreSQL and Redis containers (production topology)", () => {
  it("run the images docker-compose.yml runs, on ports the engine picks", () => {
    const compose = readFileSync(join(repoRoot, "docker-compose.yml"), "utf8");
    expect(compose).toContain(`image: ${POSTGRES_IMAGE}\n`);
    expect(compose).toContain(`image: ${REDIS_IMAGE}\n`);
    expect(read(postgresContainer("s3cret")).hostConfig.PortBindings).toEqual({ "5432/tcp": [{ HostPort: "0" }] });
    expect(read(redisContainer()).hostConfig.PortBindings).toEqual({ "6379/tcp": [{ HostPort: "0" }] });
  });

  it("PostgreSQL is ready only when it accepts TCP connections (not during first-start initialisation)", () => {
    const container = postgresContainer("s3cret");
    const c = read(container);
    expect(c.createOpts.Healthcheck).toEqual({ Test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"], Interval: 1e9, Timeout: 3e9, Retries: 60, StartPeriod: 2e9 });
    expect(c.waitStrategy.constructor.name).toBe("HealthCheckWaitStrategy");
    expect(envOf(container)).toMatchObject({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "s3cret" });
    // The image's own command.
    expect(c.createOpts.Cmd).toBeUndefined();
  });

  it("Redis keeps nothing and is ready when it answers PING", () => {
    const c = read(redisContainer());
    expect(c.createOpts.Cmd).toEqual(["redis-server", "--save", "", "--appendonly", "no"]);
    expect(c.createOpts.Healthcheck?.Test).toEqual(["CMD", "redis-cli", "ping"]);
    expect(c.waitStrategy.constructor.name).toBe("HealthCheckWaitStrategy");
  });
});
