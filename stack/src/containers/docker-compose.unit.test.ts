// docker-compose.yml, checked without a Docker engine: its structure and its
// variable names against the native mode on every machine (the file as
// written), and its values through `compose config` itself where a Compose
// command exists (Debian's docker-compose or the CLI plugin).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { realmImportEnv } from "../keycloak/keycloak-server.ts";
import { cmsEnv } from "../parts/cms-server.ts";
import { webEnv } from "../parts/web-server.ts";
import { loadStackConfig, repoRoot } from "../stack-config.ts";
import { HAPROXY_IMAGE, keycloakImageBuild, maildevImage, POSTGRES_IMAGE, REDIS_IMAGE } from "./container-parts.ts";
import { composeBalancerPlan, COMPOSE_HAPROXY_HEADER, haproxyConfig } from "../parts/haproxy.ts";
import { extensionModules } from "../keycloak/extension-sources.ts";
import { mavenPackageArgs } from "../keycloak/maven-command.ts";

interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: string[] | Record<string, { condition?: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

const composePath = join(repoRoot, "docker-compose.yml");
const toolchain = JSON.parse(readFileSync(join(repoRoot, "toolchain.json"), "utf8")) as { node: string; keycloak: string };
const scratch = mkdtempSync(join(tmpdir(), "compose-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The file as written: YAML (anchors merged), no interpolation; Compose itself interpolates (below). */
const source = parse(readFileSync(composePath, "utf8"), { merge: true }) as ComposeFile;

/** A service's environment as a map (Compose accepts a map or a list of NAME=value). */
function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => {
      const equals = entry.indexOf("=");
      return equals < 0 ? [entry, ""] : [entry.slice(0, equals), entry.slice(equals + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? "" : String(value)]));
}

// Placeholder values for the secrets Compose requires (`${NAME:?message}`):
// the file must be complete with nothing but these.
const requiredNames = [...new Set([...readFileSync(composePath, "utf8").matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!))];
const secrets = Object.fromEntries(requiredNames.map((name) => [name, `test-${name.toLowerCase().replaceAll("_", "-")}`]));

// The native production topology's contract (what stack/ passes the apps).
const nativeConfig = loadStackConfig("test-prod", { STACK_STATE_DIR: join(scratch, "state") });

// `keycloak` is the load balancer (HAProxy) in front of the Keycloak nodes keycloak-1 and keycloak-2.
const SERVICES = ["postgres", "redis", "mail", "keycloak-1", "keycloak-2", "keycloak", "cms", "web"];
const NODE = "keycloak-1";

function dependencies(service: string): Record<string, { condition?: string }> {
  const dependsOn = source.services[service]!.depends_on ?? {};
  return Array.isArray(dependsOn) ? Object.fromEntries(dependsOn.map((name) => [name, {}])) : dependsOn;
}

/** A port mapping as written (`ip:host:container`) or as `compose config` prints it (short or long syntax). */
function mapping(port: ComposeService["ports"] extends (infer P)[] | undefined ? P : never): { hostIp?: string; published: string; target: number } {
  if (typeof port === "object") return { hostIp: port.host_ip, published: String(port.published ?? ""), target: port.target };
  const parts = port.split("/")[0]!.split(":");
  const target = Number(parts.at(-1));
  return parts.length === 3 ? { hostIp: parts[0], published: parts[1]!, target } : { published: parts.length === 2 ? parts[0]! : "", target };
}

describe("docker-compose.yml structure", () => {
  it("runs PostgreSQL, Redis, the mail catcher, two Keycloak nodes behind HAProxy, cms and web", () => {
    expect(Object.keys(source.services).sort()).toEqual([...SERVICES].sort());
  });

  it("gives every service a health check, and every dependency waits until the other is healthy", () => {
    for (const [name, service] of Object.entries(source.services)) {
      expect(service.healthcheck?.test, `${name} has no health check`).toBeTruthy();
      for (const [dependency, options] of Object.entries(dependencies(name))) {
        expect(source.services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
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
    for (const [name, service] of Object.entries(source.services)) {
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
    expect(source.services.cms!.build).toMatchObject({ context: ".", dockerfile: "apps/cms/Dockerfile" });
    expect(source.services.web!.build).toMatchObject({ context: ".", dockerfile: "apps/web/Dockerfile" });
    // The repository's .dockerignore keeps keycloak/ out of the apps' context: Keycloak's is its own folder.
    for (const node of ["keycloak-1", "keycloak-2"]) {
      expect(source.services[node]!.build, node).toEqual({ context: "./keycloak", args: { KEYCLOAK_VERSION: `\${KEYCLOAK_VERSION:-${toolchain.keycloak}}` } });
    }
  });

  it("pins Keycloak's base image to toolchain.json by default, and the other images to what the containers runtime runs", () => {
    const dockerfile = readFileSync(join(repoRoot, "keycloak", "Dockerfile"), "utf8");
    expect(dockerfile).toContain(`ARG KEYCLOAK_VERSION=${toolchain.keycloak}\n`);
    // The final stage, what runs, is the official image at that version.
    expect(dockerfile.match(/^FROM\s+(\S+)/gm)?.at(-1)).toBe("FROM keycloak/keycloak:${KEYCLOAK_VERSION}");
    expect(keycloakImageBuild().args).toEqual({ KEYCLOAK_VERSION: toolchain.keycloak });
    const [maildev, maildevVersion] = maildevImage().split(":");
    expect(source.services.mail!.image).toBe(`${maildev}:\${MAILDEV_VERSION:-${maildevVersion}}`);
    expect(source.services.postgres!.image).toBe(POSTGRES_IMAGE);
    expect(source.services.redis!.image).toBe(REDIS_IMAGE);
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
    const volumes = source.services[NODE]!.volumes ?? [];
    expect(volumes).toContain("./keycloak/realm-export.json:/opt/keycloak/data/import/app-realm.json:ro");
    for (const theme of readdirSync(join(repoRoot, "keycloak", "themes"))) {
      expect(volumes).toContain(`./keycloak/themes/${theme}:/opt/keycloak/themes/${theme}:ro`);
    }
    expect(source.services[NODE]!.command).toEqual(["start", "--import-realm"]);
    for (const volume of [...volumes, ...(source.services.postgres!.volumes ?? [])]) {
      const path = volume.split(":")[0]!;
      if (path.startsWith("./")) expect(existsSync(join(repoRoot, path)), path).toBe(true);
    }
  });

  it("never commits a secret: every secret comes from the environment, required or empty", () => {
    const secretName = /SECRET|PASSWORD|SALT|APP_KEYS|ENCRYPTION_KEY/;
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
    const published = Object.entries(source.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => [name, port] as const));
    expect(published.map(([name]) => name).sort()).toEqual(["cms", "keycloak", "mail", "web"]);
    // As written: 127.0.0.1, a fixed port or a variable with a default, the container port.
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:(\d+|\$\{[A-Z_]+:-\d+\}):\d+$/);
    // Keycloak's management interface (health, metrics) is published nowhere.
    expect(source.services.keycloak!.ports!.map((port) => mapping(port).target)).toEqual([8080]);
    // The nodes are reached through the balancer only.
    expect(source.services["keycloak-1"]!.ports ?? []).toEqual([]);
    expect(source.services["keycloak-2"]!.ports ?? []).toEqual([]);
  });

  it("requires Keycloak's admin password instead of defaulting it (issue 10, item 3)", () => {
    expect(serviceEnvironment(source.services[NODE]!).KC_BOOTSTRAP_ADMIN_PASSWORD).toMatch(/^\$\{KEYCLOAK_ADMIN_PASSWORD:\?[^}]+\}$/);
    expect(requiredNames).toContain("KEYCLOAK_ADMIN_PASSWORD");
  });

  it("imports the realm with sslRequired all unless KEYCLOAK_SSL_REQUIRED says otherwise (issue 10, item 3)", () => {
    expect(serviceEnvironment(source.services[NODE]!).KEYCLOAK_SSL_REQUIRED).toBe("${KEYCLOAK_SSL_REQUIRED:-all}");
  });
});

describe("docker-compose.yml Keycloak cluster", () => {
  it("runs Keycloak as one cluster of two identical nodes behind HAProxy, with the native balancer's configuration", () => {
    const { depends_on: _1, ...first } = source.services["keycloak-1"]!;
    const { depends_on: _2, ...second } = source.services["keycloak-2"]!;
    expect(second).toEqual(first);
    expect(serviceEnvironment(source.services[NODE]!)).toMatchObject({ KC_CACHE: "ispn", KC_CACHE_STACK: "jdbc-ping", KC_PROXY_HEADERS: "xforwarded" });
    expect(source.services.keycloak!.image).toBe(HAPROXY_IMAGE);
    expect(source.services.keycloak!.volumes).toEqual(["./stack/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]);
    // The file is what the native balancer's generator writes for these services (regenerate it, never edit it).
    expect(readFileSync(join(repoRoot, "stack", "compose", "haproxy.cfg"), "utf8")).toBe(haproxyConfig(composeBalancerPlan(), COMPOSE_HAPROXY_HEADER));
    const plan = composeBalancerPlan();
    expect(plan.keycloak.servers.map((server) => server.host)).toEqual(["keycloak-1", "keycloak-2"]);
    expect(source.services.keycloak!.healthcheck!.test).toContain(`http://127.0.0.1:${plan.controlPort}/health/ready`);
  });
});

describe("docker-compose.yml contract with the native mode (variable names)", () => {
  const names = (service: string) => Object.keys(serviceEnvironment(source.services[service]!)).sort();

  it("gives the web app the native mode's variable names (plus the in-network Keycloak URL)", () => {
    const native = Object.keys(webEnv(nativeConfig)).sort();
    expect(native.filter((name) => !names("web").includes(name))).toEqual([]);
    expect(names("web").filter((name) => !native.includes(name))).toEqual(["KEYCLOAK_INTERNAL_URL", "NODE_ENV"]);
  });

  it("gives Strapi the native mode's variable names (plus the in-network Keycloak URL)", () => {
    const native = Object.keys(cmsEnv(nativeConfig, 1)).sort();
    expect(native.filter((name) => !names("cms").includes(name))).toEqual([]);
    expect(names("cms").filter((name) => !native.includes(name))).toEqual(["KEYCLOAK_INTERNAL_URL"]);
    expect(serviceEnvironment(source.services.cms!).DATABASE_CLIENT).toBe("postgres");
  });

  it("gives Keycloak every placeholder of keycloak/realm-export.json and every variable the native import sets", () => {
    const realm = readFileSync(join(repoRoot, "keycloak", "realm-export.json"), "utf8");
    const placeholders = new Set([...realm.matchAll(/\$\{([A-Za-z0-9_]+)[:}]/g)].map((match) => match[1]!));
    expect(placeholders.size).toBeGreaterThan(5);
    expect([...placeholders].filter((name) => !names(NODE).includes(name))).toEqual([]);
    expect(Object.keys(realmImportEnv(nativeConfig)).filter((name) => !names(NODE).includes(name))).toEqual([]);
  });
});

// The values: Compose's own interpolation, through `compose config` (Debian's
// docker-compose v1 or the Docker CLI's compose plugin; neither needs an
// engine). Where no Compose command is installed these are reported as
// skipped; `apt-get install docker-compose` enables them. The repository does
// not re-implement Compose's interpolation.
const cli = [
  { command: "docker", prefix: ["compose"] },
  { command: "docker-compose", prefix: [] },
].find((candidate) => spawnSync(candidate.command, [...candidate.prefix, "version"], { encoding: "utf8", timeout: 30_000 }).status === 0);
const emptyEnvFile = join(scratch, "empty.env");
writeFileSync(emptyEnvFile, "");

/**
 * `compose config` with exactly `env` for interpolation: the caller's
 * environment and any .env next to the file stay out (an empty --env-file
 * replaces the default .env).
 */
function interpolate(env: Record<string, string>): { status: number; stdout: string; stderr: string; file: ComposeFile } {
  const result = spawnSync(cli!.command, [...cli!.prefix, "--env-file", emptyEnvFile, "-f", composePath, "config"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  const status = result.status ?? 1;
  return { status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", file: status === 0 ? (parse(result.stdout) as ComposeFile) : { services: {} } };
}

// Debian's docker-compose is Python and starts slowly on a busy machine: seconds per run.
describe.skipIf(!cli)(`compose config (${cli ? [cli.command, ...cli.prefix].join(" ") : "no Compose command"})`, { timeout: 60_000 }, () => {
  let compose: ComposeFile = { services: {} };
  const env = (service: string) => serviceEnvironment(compose.services[service]!);
  const published = (service: string) => (compose.services[service]!.ports ?? []).map(mapping);

  it("accepts the file with only the required secrets set, and keeps what the file says", () => {
    const run = interpolate(secrets);
    expect(run.stderr + run.stdout).not.toMatch(/ERROR|is invalid|Unsupported/i);
    expect(run.status, run.stderr).toBe(0);
    compose = run.file;
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICES].sort());
    for (const service of SERVICES) {
      expect(Object.keys(env(service)).sort(), service).toEqual(Object.keys(serviceEnvironment(source.services[service]!)).sort());
      expect(compose.services[service]!.healthcheck?.test, service).toEqual(source.services[service]!.healthcheck!.test);
    }
  });

  it("defaults to toolchain.json's Keycloak, the pinned MailDev and sslRequired all; an explicit value wins", () => {
    expect((compose.services[NODE]!.build as { args: Record<string, string> }).args.KEYCLOAK_VERSION).toBe(toolchain.keycloak);
    expect(compose.services.mail!.image).toBe(maildevImage());
    expect(env(NODE).KEYCLOAK_SSL_REQUIRED).toBe("all");
    const explicit = interpolate({ ...secrets, KEYCLOAK_VERSION: "99.0.0", KEYCLOAK_SSL_REQUIRED: "external" }).file;
    expect((explicit.services[NODE]!.build as { args: Record<string, string> }).args.KEYCLOAK_VERSION).toBe("99.0.0");
    expect(serviceEnvironment(explicit.services[NODE]!).KEYCLOAK_SSL_REQUIRED).toBe("external");
  });

  it("publishes on 127.0.0.1 only, Keycloak's HTTP port alone", () => {
    for (const service of ["cms", "keycloak", "mail", "web"]) {
      for (const port of published(service)) expect(port.hostIp, service).toBe("127.0.0.1");
    }
    expect(published("keycloak").map((port) => port.target)).toEqual([8080]);
  });

  it("refuses to run without a required secret, naming it", () => {
    for (const name of ["AUTH_SECRET", "KEYCLOAK_ADMIN_PASSWORD"]) {
      const { [name]: _, ...without } = secrets;
      const run = interpolate(without);
      expect(run.status, name).not.toBe(0);
      expect(run.stderr, name).toContain(name);
    }
  });

  it("keeps one issuer for browser and servers: hostname pinned to the public URL, servers call Keycloak inside the network", () => {
    const publicUrl = env(NODE).KC_HOSTNAME!;
    expect(publicUrl).toBe("http://localhost:8080");
    expect(env("web").KEYCLOAK_ISSUER).toBe(`${publicUrl}/realms/app`);
    expect(env("cms").KEYCLOAK_ISSUER).toBe(`${publicUrl}/realms/app`);
    // The public URL's port is the one published for Keycloak's HTTP port.
    expect(published("keycloak")).toContainEqual({ hostIp: "127.0.0.1", published: new URL(publicUrl).port, target: 8080 });
    // A different public URL moves hostname and issuers together.
    const moved = interpolate({ ...secrets, KEYCLOAK_URL: "https://id.example.com" }).file;
    expect(serviceEnvironment(moved.services[NODE]!).KC_HOSTNAME).toBe("https://id.example.com");
    expect(serviceEnvironment(moved.services.web!).KEYCLOAK_ISSUER).toBe("https://id.example.com/realms/app");
    expect(serviceEnvironment(moved.services.cms!).KEYCLOAK_ISSUER).toBe("https://id.example.com/realms/app");
  });

  it("points every server-to-server URL at a service and a port that service listens on", () => {
    const listens = (service: string, port: number) => {
      expect(compose.services[service], service).toBeDefined();
      // Either published on that container port, or the service's documented default port.
      const defaults: Record<string, number> = { postgres: 5432, redis: 6379, mail: 1025 };
      expect(published(service).some((mapped) => mapped.target === port) || defaults[service] === port, `${service}:${port}`).toBe(true);
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
    expect(published("web")).toContainEqual({ hostIp: "127.0.0.1", published: new URL(env("web").WEB_URL!).port, target: 3000 });
    expect(env(NODE).WEB_URL).toBe(env("web").WEB_URL);
  });

  it("passes the same client secrets to Keycloak's import and to the apps", () => {
    expect(env(NODE).KEYCLOAK_WEB_CLIENT_SECRET).toBe(env("web").KEYCLOAK_WEB_CLIENT_SECRET);
    expect(env(NODE).KEYCLOAK_CMS_CLIENT_SECRET).toBe(env("cms").KEYCLOAK_CMS_CLIENT_SECRET);
    expect(env(NODE).KC_DB_PASSWORD).toBe(env("postgres").KEYCLOAK_DB_PASSWORD);
    expect(env("cms").DATABASE_URL).toContain(`:${env("postgres").CMS_DB_PASSWORD}@`);
  });
});
