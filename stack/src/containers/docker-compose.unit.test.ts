// docker-compose.yml, checked without a Docker engine: its structure and its
// contract with the native mode on every machine, and `compose config` itself
// where a Compose command exists (Debian's docker-compose or the CLI plugin).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { realmImportEnv } from "../keycloak/keycloak-server.ts";
import { cmsEnv } from "../parts/cms-server.ts";
import { webEnv } from "../parts/web-server.ts";
import { loadStackConfig, repoRoot } from "../stack-config.ts";
import { composeConfig, findComposeCli } from "./compose-cli.ts";
import {
  ComposeInterpolationError,
  composeVariables,
  readComposeFile,
  readComposeSource,
  serviceEnvironment,
  type ComposeFile,
} from "./compose-file.ts";
import { HAPROXY_IMAGE, keycloakImage, maildevImage, POSTGRES_IMAGE, REDIS_IMAGE } from "./container-images.ts";
import { composeBalancerPlan, COMPOSE_HAPROXY_HEADER, haproxyConfig } from "../parts/haproxy.ts";
import { extensionModules } from "../keycloak/extension-sources.ts";
import { mavenPackageArgs } from "../keycloak/maven-command.ts";

const composePath = join(repoRoot, "docker-compose.yml");
const toolchain = JSON.parse(readFileSync(join(repoRoot, "toolchain.json"), "utf8")) as { node: string; keycloak: string };
const scratch = mkdtempSync(join(tmpdir(), "compose-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Placeholder values for the secrets Compose requires: the file must be
// complete with nothing but these.
const required = composeVariables(composePath).filter((variable) => variable.required);
const secrets = Object.fromEntries(required.map((variable) => [variable.name, `test-${variable.name.toLowerCase().replaceAll("_", "-")}`]));
const compose: ComposeFile = readComposeFile(composePath, secrets);
const env = (service: string) => serviceEnvironment(compose.services[service]!);

// The native production topology's contract (what stack/ passes the apps).
const nativeConfig = loadStackConfig("test-prod", { STACK_STATE_DIR: join(scratch, "state") });

// `keycloak` is the load balancer (HAProxy) in front of the Keycloak nodes keycloak-1 and keycloak-2.
const SERVICES = ["postgres", "redis", "mail", "keycloak-1", "keycloak-2", "keycloak", "cms", "web"];
const NODE = "keycloak-1";

function dependencies(service: string): Record<string, { condition?: string }> {
  const dependsOn = compose.services[service]!.depends_on ?? {};
  return Array.isArray(dependsOn) ? Object.fromEntries(dependsOn.map((name) => [name, {}])) : dependsOn;
}

/** `host:container` or `ip:host:container` → the container port. */
const containerPort = (mapping: string) => Number(mapping.split(":").at(-1)!.split("/")[0]);

describe("docker-compose.yml structure", () => {
  it("runs PostgreSQL, Redis, the mail catcher, two Keycloak nodes behind HAProxy, cms and web", () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICES].sort());
  });

  it("gives every service a health check, and every dependency waits until the other is healthy", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, `${name} has no health check`).toBeTruthy();
      for (const [dependency, options] of Object.entries(dependencies(name))) {
        expect(compose.services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        expect(options.condition, `${name} → ${dependency}`).toBe("service_healthy");
      }
    }
  });

  it("starts each part after what it calls at startup", () => {
    expect(Object.keys(dependencies("keycloak-1")).sort()).toEqual(["mail", "postgres"]);
    // The second node starts after the first imported the realm; the balancer after both.
    expect(Object.keys(dependencies("keycloak-2")).sort()).toEqual(["keycloak-1", "mail", "postgres"]);
    expect(Object.keys(dependencies("keycloak")).sort()).toEqual(["keycloak-1", "keycloak-2"]);
    expect(Object.keys(dependencies("cms")).sort()).toEqual(["keycloak", "postgres"]);
    expect(Object.keys(dependencies("web")).sort()).toEqual(["cms", "keycloak", "redis"]);
  });

  it("names images by Docker Hub short name, builds the apps from the repository root and Keycloak from keycloak/", () => {
    const isRegistryHost = (image: string) => image.includes("/") && /[.:]|^localhost$/.test(image.split("/")[0]!);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image) {
        // A registry host is the first path segment when it has a dot, a port or is localhost.
        expect(isRegistryHost(service.image), `${name}: ${service.image}`).toBe(false);
      } else {
        const build = service.build as { context: string; dockerfile?: string };
        const dockerfile = join(repoRoot, build.context, build.dockerfile ?? "Dockerfile");
        expect(existsSync(dockerfile), dockerfile).toBe(true);
        for (const [, image] of readFileSync(dockerfile, "utf8").matchAll(/^FROM\s+(\S+)/gm)) expect(isRegistryHost(image!), `${dockerfile}: FROM ${image}`).toBe(false);
      }
    }
    expect(compose.services.cms!.build).toMatchObject({ context: ".", dockerfile: "apps/cms/Dockerfile" });
    expect(compose.services.web!.build).toMatchObject({ context: ".", dockerfile: "apps/web/Dockerfile" });
    // The repository's .dockerignore keeps keycloak/ out of the apps' context: Keycloak's is its own folder.
    for (const node of ["keycloak-1", "keycloak-2"]) {
      expect(compose.services[node]!.build, node).toEqual({ context: "./keycloak", args: { KEYCLOAK_VERSION: toolchain.keycloak } });
    }
  });

  it("pins Keycloak's base image to toolchain.json by default, and the other images to what the test harness runs", () => {
    const source = readComposeSource(composePath);
    expect((source.services[NODE]!.build as { args: Record<string, string> }).args.KEYCLOAK_VERSION).toBe(`\${KEYCLOAK_VERSION:-${toolchain.keycloak}}`);
    const dockerfile = readFileSync(join(repoRoot, "keycloak", "Dockerfile"), "utf8");
    expect(dockerfile).toContain(`ARG KEYCLOAK_VERSION=${toolchain.keycloak}\n`);
    // The final stage, what runs, is the official image at that version.
    expect(dockerfile.match(/^FROM\s+(\S+)/gm)?.at(-1)).toBe("FROM keycloak/keycloak:${KEYCLOAK_VERSION}");
    expect(keycloakImage()).toBe(`keycloak/keycloak:${toolchain.keycloak}`);
    expect(compose.services.mail!.image).toBe(maildevImage());
    expect(compose.services.postgres!.image).toBe(POSTGRES_IMAGE);
    expect(compose.services.redis!.image).toBe(REDIS_IMAGE);
    // An explicit version still wins.
    const explicit = readComposeFile(composePath, { ...secrets, KEYCLOAK_VERSION: "99.0.0" });
    expect((explicit.services[NODE]!.build as { args: Record<string, string> }).args.KEYCLOAK_VERSION).toBe("99.0.0");
  });

  it("gives Keycloak our providers: keycloak/Dockerfile runs the Maven build stack/ runs natively", () => {
    const dockerfile = readFileSync(join(repoRoot, "keycloak", "Dockerfile"), "utf8");
    // Against the same image's Keycloak jars, at the image's version (keycloak/extensions/pom.xml does the rest).
    expect(dockerfile).toMatch(/^COPY --from=keycloak \/opt\/keycloak\/lib\/lib\/main\/org\.keycloak\.keycloak-\*\.jar \/keycloak-lib\/$/m);
    expect(dockerfile).toMatch(/^COPY extensions \/extensions$/m);
    const command = mavenPackageArgs({ pom: "/extensions/pom.xml", keycloakVersion: "${KEYCLOAK_VERSION}", keycloakLib: "/keycloak-lib" }).join(" ");
    expect(dockerfile).toContain(`mvn ${command};`);
    // Every module's jar, named after its folder, as in a native server's providers/.
    expect(dockerfile).toContain('cp "/extensions/$name/target/$name.jar" /providers/');
    expect(dockerfile).toMatch(/^COPY --from=extensions \/providers\/ \/opt\/keycloak\/providers\/$/m);
    expect(extensionModules(join(repoRoot, "keycloak", "extensions")).length).toBeGreaterThan(0);
  });

  it("builds the app images on the pinned Node", () => {
    for (const dockerfile of ["apps/web/Dockerfile", "apps/cms/Dockerfile"]) {
      const text = readFileSync(join(repoRoot, dockerfile), "utf8");
      expect(text, dockerfile).toContain(`ARG NODE_VERSION=${toolchain.node}\n`);
      expect(text, dockerfile).toMatch(/^USER node$/m);
      expect(text.match(/^FROM /gm)?.length ?? 0, `${dockerfile} is multi-stage`).toBeGreaterThan(1);
    }
  });

  it("mounts the realm file for import and every login theme", () => {
    const volumes = compose.services[NODE]!.volumes ?? [];
    expect(volumes).toContain("./keycloak/realm-export.json:/opt/keycloak/data/import/app-realm.json:ro");
    for (const theme of readdirSync(join(repoRoot, "keycloak", "themes"))) {
      expect(volumes).toContain(`./keycloak/themes/${theme}:/opt/keycloak/themes/${theme}:ro`);
    }
    expect(compose.services[NODE]!.command).toEqual(["start", "--import-realm"]);
    for (const volume of [...volumes, ...(compose.services.postgres!.volumes ?? [])]) {
      const source = volume.split(":")[0]!;
      if (source.startsWith("./")) expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
  });

  it("never commits a secret: every secret comes from the environment, required or empty", () => {
    const secretName = /SECRET|PASSWORD|SALT|APP_KEYS|ENCRYPTION_KEY/;
    const source = readComposeSource(composePath);
    for (const [name, service] of Object.entries(source.services)) {
      for (const [key, value] of Object.entries(serviceEnvironment(service))) {
        if (!secretName.test(key)) continue;
        // Either required (${VAR:?...}) or an empty/placeholder default for optional ones.
        expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:\?[^}]+|:-|:-unset)\}$/);
      }
    }
    expect(source.services.cms!.environment).toMatchObject({ DATABASE_URL: expect.stringContaining("${CMS_DB_PASSWORD:?") });
  });

  it("publishes every port on loopback only: the admin console, the inbox and Strapi are on no network (issue 10, item 3)", () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) => (service.ports ?? []).map((mapping) => [name, String(mapping)] as const));
    expect(published.map(([name]) => name).sort()).toEqual(["cms", "keycloak", "mail", "web"]);
    for (const [name, mapping] of published) expect(mapping, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    // Keycloak's management interface (health, metrics) is published nowhere.
    expect(compose.services.keycloak!.ports!.map(containerPort)).toEqual([8080]);
    // The nodes are reached through the balancer only.
    expect(compose.services["keycloak-1"]!.ports ?? []).toEqual([]);
    expect(compose.services["keycloak-2"]!.ports ?? []).toEqual([]);
  });

  it("requires Keycloak's admin password instead of defaulting it (issue 10, item 3)", () => {
    const source = readComposeSource(composePath);
    expect(serviceEnvironment(source.services[NODE]!).KC_BOOTSTRAP_ADMIN_PASSWORD).toMatch(/^\$\{KEYCLOAK_ADMIN_PASSWORD:\?[^}]+\}$/);
    const { KEYCLOAK_ADMIN_PASSWORD: _, ...withoutAdminPassword } = secrets;
    expect(() => readComposeFile(composePath, withoutAdminPassword)).toThrow(/KEYCLOAK_ADMIN_PASSWORD/);
  });

  it("imports the realm with sslRequired all unless KEYCLOAK_SSL_REQUIRED says otherwise (issue 10, item 3)", () => {
    expect(env(NODE).KEYCLOAK_SSL_REQUIRED).toBe("all");
    expect(serviceEnvironment(readComposeFile(composePath, { ...secrets, KEYCLOAK_SSL_REQUIRED: "external" }).services[NODE]!).KEYCLOAK_SSL_REQUIRED).toBe("external");
  });

  it("refuses to interpolate without a required secret, naming it", () => {
    const { AUTH_SECRET: _, ...withoutAuthSecret } = secrets;
    expect(() => readComposeFile(composePath, withoutAuthSecret)).toThrow(ComposeInterpolationError);
    expect(() => readComposeFile(composePath, withoutAuthSecret)).toThrow(/AUTH_SECRET/);
  });
});

describe("docker-compose.yml contract with the native mode", () => {
  it("gives the web app the native mode's variable names (plus the in-network Keycloak URL)", () => {
    const native = Object.keys(webEnv(nativeConfig)).sort();
    const fromCompose = Object.keys(env("web")).sort();
    expect(native.filter((name) => !fromCompose.includes(name))).toEqual([]);
    expect(fromCompose.filter((name) => !native.includes(name))).toEqual(["KEYCLOAK_INTERNAL_URL", "NODE_ENV"]);
  });

  it("gives Strapi the native mode's variable names (plus the in-network Keycloak URL)", () => {
    const native = Object.keys(cmsEnv(nativeConfig, 1)).sort();
    const fromCompose = Object.keys(env("cms")).sort();
    expect(native.filter((name) => !fromCompose.includes(name))).toEqual([]);
    expect(fromCompose.filter((name) => !native.includes(name))).toEqual(["KEYCLOAK_INTERNAL_URL"]);
    expect(env("cms").DATABASE_CLIENT).toBe("postgres");
  });

  it("gives Keycloak every placeholder of keycloak/realm-export.json and every variable the native import sets", () => {
    const realm = readFileSync(join(repoRoot, "keycloak", "realm-export.json"), "utf8");
    const placeholders = new Set([...realm.matchAll(/\$\{([A-Za-z0-9_]+)[:}]/g)].map((match) => match[1]!));
    expect(placeholders.size).toBeGreaterThan(5);
    const keycloak = Object.keys(env(NODE));
    expect([...placeholders].filter((name) => !keycloak.includes(name))).toEqual([]);
    expect(Object.keys(realmImportEnv(nativeConfig)).filter((name) => !keycloak.includes(name))).toEqual([]);
  });

  it("keeps one issuer for browser and servers: hostname pinned to the public URL, servers call Keycloak inside the network", () => {
    const publicUrl = env(NODE).KC_HOSTNAME!;
    expect(publicUrl).toBe("http://localhost:8080");
    expect(env("web").KEYCLOAK_ISSUER).toBe(`${publicUrl}/realms/app`);
    expect(env("cms").KEYCLOAK_ISSUER).toBe(`${publicUrl}/realms/app`);
    // The public URL's port is the one published for Keycloak's HTTP port.
    const published = compose.services.keycloak!.ports!.map(String);
    expect(published.some((mapping) => mapping === `127.0.0.1:${new URL(publicUrl).port}:8080`)).toBe(true);
    // A different public URL moves hostname and issuers together.
    const moved = readComposeFile(composePath, { ...secrets, KEYCLOAK_URL: "https://id.example.com" });
    expect(serviceEnvironment(moved.services[NODE]!).KC_HOSTNAME).toBe("https://id.example.com");
    expect(serviceEnvironment(moved.services.web!).KEYCLOAK_ISSUER).toBe("https://id.example.com/realms/app");
    expect(serviceEnvironment(moved.services.cms!).KEYCLOAK_ISSUER).toBe("https://id.example.com/realms/app");
  });

  it("points every server-to-server URL at a service and a port that service listens on", () => {
    const listens = (service: string, port: number) => {
      expect(compose.services[service], service).toBeDefined();
      const published = (compose.services[service]!.ports ?? []).map((mapping) => containerPort(String(mapping)));
      // Either published on that container port, or the service's documented default port.
      const defaults: Record<string, number> = { postgres: 5432, redis: 6379, mail: 1025 };
      expect(published.includes(port) || defaults[service] === port, `${service}:${port}`).toBe(true);
    };
    const at = (url: string) => {
      const parsed = new URL(url);
      return { host: parsed.hostname, port: Number(parsed.port), path: parsed.pathname };
    };
    for (const app of ["web", "cms"]) {
      const internal = at(env(app).KEYCLOAK_INTERNAL_URL!);
      expect(internal.host).toBe("keycloak");
      listens("keycloak", internal.port);
    }
    expect(at(env(NODE).WEB_INTERNAL_URL!)).toMatchObject({ host: "web" });
    listens("web", at(env(NODE).WEB_INTERNAL_URL!).port);
    expect(at(env("web").CMS_URL!)).toMatchObject({ host: "cms" });
    listens("cms", at(env("web").CMS_URL!).port);
    expect(env("web").REDIS_URL).toBe("redis://redis:6379");
    expect(at(env("cms").DATABASE_URL!)).toMatchObject({ host: "postgres", port: 5432, path: "/cms" });
    expect(env(NODE).KC_DB_URL).toBe("jdbc:postgresql://postgres:5432/keycloak");
    expect(env(NODE).SMTP_HOST).toBe("mail");
    expect(env(NODE).SMTP_PORT).toBe("1025");
    // The web app's public origin is the one published for it.
    expect((compose.services.web!.ports ?? []).map(String)).toContain(`127.0.0.1:${new URL(env("web").WEB_URL!).port}:3000`);
    expect(env(NODE).WEB_URL).toBe(env("web").WEB_URL);
  });

  it("runs Keycloak as one cluster of two identical nodes behind HAProxy, with the native balancer's configuration", () => {
    const { depends_on: _1, ...first } = compose.services["keycloak-1"]!;
    const { depends_on: _2, ...second } = compose.services["keycloak-2"]!;
    expect(second).toEqual(first);
    expect(env(NODE)).toMatchObject({ KC_CACHE: "ispn", KC_CACHE_STACK: "jdbc-ping", KC_PROXY_HEADERS: "xforwarded" });
    expect(compose.services.keycloak!.image).toBe(HAPROXY_IMAGE);
    expect(compose.services.keycloak!.volumes).toEqual(["./stack/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]);
    // The file is what the native balancer's generator writes for these services (regenerate it, never edit it).
    expect(readFileSync(join(repoRoot, "stack", "compose", "haproxy.cfg"), "utf8")).toBe(haproxyConfig(composeBalancerPlan(), COMPOSE_HAPROXY_HEADER));
    const plan = composeBalancerPlan();
    expect(plan.keycloak.servers.map((server) => server.host)).toEqual(["keycloak-1", "keycloak-2"]);
    expect(compose.services.keycloak!.healthcheck!.test).toContain(`http://127.0.0.1:${plan.controlPort}/health/ready`);
  });

  it("passes the same client secrets to Keycloak's import and to the apps", () => {
    expect(env(NODE).KEYCLOAK_WEB_CLIENT_SECRET).toBe(env("web").KEYCLOAK_WEB_CLIENT_SECRET);
    expect(env(NODE).KEYCLOAK_CMS_CLIENT_SECRET).toBe(env("cms").KEYCLOAK_CMS_CLIENT_SECRET);
    expect(env(NODE).KC_DB_PASSWORD).toBe(env("postgres").KEYCLOAK_DB_PASSWORD);
    expect(env("cms").DATABASE_URL).toContain(`:${env("postgres").CMS_DB_PASSWORD}@`);
  });
});

// Debian's docker-compose (v1) or the Docker CLI's compose plugin validates the
// file without an engine. Where neither is installed the structural checks
// above still run; `apt-get install docker-compose` enables these.
const cli = findComposeCli();

// Debian's docker-compose is Python and starts slowly on a busy machine: seconds per run.
describe.skipIf(!cli)(`compose config (${cli ? [cli.command, ...cli.prefix].join(" ") : "no Compose command"})`, { timeout: 60_000 }, () => {
  const emptyEnvFile = join(scratch, "empty.env");
  writeFileSync(emptyEnvFile, "");

  it("accepts the file with only the required secrets set, and reads it as this suite does", () => {
    const run = composeConfig(cli!, { file: composePath, emptyEnvFile, env: secrets });
    expect(run.stderr + run.stdout).not.toMatch(/ERROR|is invalid|Unsupported/i);
    expect(run.status, run.stderr).toBe(0);
    const normalized = parse(run.stdout) as ComposeFile;
    expect(Object.keys(normalized.services).sort()).toEqual([...SERVICES].sort());
    for (const service of SERVICES) {
      expect(serviceEnvironment(normalized.services[service]!), service).toEqual(env(service));
      expect(normalized.services[service]!.healthcheck?.test, service).toEqual(compose.services[service]!.healthcheck!.test);
    }
    expect(normalized.services[NODE]!.image).toBe(compose.services[NODE]!.image);
  });

  it("refuses to run without a required secret, naming it", () => {
    const { AUTH_SECRET: _, ...withoutAuthSecret } = secrets;
    const run = composeConfig(cli!, { file: composePath, emptyEnvFile, env: withoutAuthSecret });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("AUTH_SECRET");
  });
});
