// What a stack needs before anything starts: free ports, Java (or containers),
// Maven when our Keycloak extensions must be built, and for the production
// topology HAProxy, PostgreSQL and Redis. Every problem is collected and
// reported at once, each with how to fix it.
import { connect } from "node:net";
import type { ContainerRuntime } from "./containers/container-runtime.ts";
import { cachedExtensions } from "./keycloak/extension-build.ts";
import { findJava, MIN_JAVA, type JavaRuntime } from "./keycloak/find-java.ts";
import { mavenInstalled, MISSING_MAVEN_MESSAGE } from "./keycloak/maven-command.ts";
import { findHaproxy, MISSING_HAPROXY_MESSAGE } from "./parts/haproxy.ts";
import { findPostgresBin, MISSING_POSTGRES_SERVER_MESSAGE, postgresAccount, ROOT_WITHOUT_POSTGRES_ACCOUNT_MESSAGE } from "./parts/postgres-server.ts";
import { findRedisServer, MISSING_REDIS_SERVER_MESSAGE } from "./parts/redis-server.ts";
import { takenPorts } from "./process/port-check.ts";
import { PORT_PREFIX, type StackConfig } from "./stack-config.ts";

export class PrerequisiteError extends Error {
  readonly code = "ERR_PREREQUISITE";
}

/** Whether something accepts TCP connections at host:port (a prerequisite's first sign of life). */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/** The production topology's own prerequisites: HAProxy on this machine, PostgreSQL and Redis answering (unless containers provide them). */
async function productionProblems(config: StackConfig, containers?: ContainerRuntime): Promise<string[]> {
  const p = config.production;
  if (!p) return [];
  const problems: string[] = [];
  if (!findHaproxy(config.input.inherited)) problems.push(MISSING_HAPROXY_MESSAGE);
  if (containers) return problems;
  if (p.ownedPostgresPort) {
    if (!findPostgresBin(config.input.inherited)) problems.push(MISSING_POSTGRES_SERVER_MESSAGE);
    else if (!postgresAccount()) problems.push(ROOT_WITHOUT_POSTGRES_ACCOUNT_MESSAGE);
  } else if (!(await answers(p.postgresHost, p.postgresPort))) {
    problems.push(
      `PostgreSQL is not answering at ${p.postgresHost}:${p.postgresPort}. Install and start it ` +
        "(`apt-get install postgresql && service postgresql start` on Debian or Ubuntu, `brew install postgresql && brew services start postgresql` on macOS), " +
        "or point STACK_POSTGRES_URL at a superuser connection.",
    );
  }
  const redis = new URL(p.redisUrl);
  if (p.ownedRedisPort) {
    if (!findRedisServer(config.input.inherited)) problems.push(MISSING_REDIS_SERVER_MESSAGE);
  } else if (!(await answers(redis.hostname || "127.0.0.1", Number(redis.port || 6379)))) {
    problems.push(
      `Redis is not answering at ${redis.hostname}:${redis.port || 6379}. Install and start it ` +
        "(`apt-get install redis-server && service redis-server start` on Debian or Ubuntu, `brew install redis && brew services start redis` on macOS), " +
        "or point STACK_REDIS_URL at one.",
    );
  }
  return problems;
}

/** Throws a PrerequisiteError listing every problem; returns the Java that runs Keycloak (none with containers). */
export async function checkPrerequisites(config: StackConfig, containers?: ContainerRuntime): Promise<JavaRuntime | undefined> {
  // Keycloak in a container needs no Java on this machine.
  const java = containers ? undefined : findJava(config.input);
  const ports: Record<string, number> = {
    Keycloak: config.ports.keycloak,
    "Keycloak management": config.ports.keycloakManagement,
    Strapi: config.ports.cms,
    web: config.ports.web,
    SMTP: config.ports.smtp,
    "mail inbox": config.ports.mailUi,
  };
  config.production?.webInstancePorts.forEach((port, i) => (ports[`web instance ${i + 1}`] = port));
  config.production?.cmsInstancePorts.forEach((port, i) => (ports[`Strapi instance ${i + 1}`] = port));
  for (const node of config.production?.keycloakNodes ?? []) {
    ports[`${node.name}`] = node.port;
    ports[`${node.name} management`] = node.managementPort;
    ports[`${node.name} cluster`] = node.clusterPort;
  }
  if (config.production?.ownedRedisPort) ports.Redis = config.production.ownedRedisPort;
  if (config.production?.ownedPostgresPort) ports.PostgreSQL = config.production.ownedPostgresPort;
  const taken = await takenPorts(ports);
  const problems: string[] = await productionProblems(config, containers);
  if (!java && !containers) {
    problems.push(
      `No Java ${MIN_JAVA} or newer found (looked at KEYCLOAK_JAVA_HOME, JAVA_HOME, /usr/lib/jvm and PATH). ` +
        "Install a JDK (for example `apt-get install openjdk-21-jdk-headless`) or set KEYCLOAK_JAVA_HOME.",
    );
  }
  // Our Keycloak extensions are built with Maven when their cached jars are stale.
  if (java && !cachedExtensions(config.cacheDir) && !mavenInstalled()) problems.push(MISSING_MAVEN_MESSAGE);
  if (taken.length > 0) {
    const prefix = PORT_PREFIX[config.profile];
    problems.push(
      `Port${taken.length > 1 ? "s" : ""} already taken: ${taken.join(", ")}. ` +
        `Stop what uses ${taken.length > 1 ? "them" : "it"}, or choose other ports with ${prefix}KEYCLOAK_PORT, ${prefix}CMS_PORT, ${prefix}WEB_PORT, ... (see docs/settings.md).`,
    );
  }
  if (problems.length > 0) throw new PrerequisiteError(problems.join("\n"));
  return java;
}

