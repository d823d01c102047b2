// Keycloak from the official image plus our providers (keycloak/Dockerfile
// compiles keycloak/extensions into it), started the way the native runner starts
// the distribution (stack/src/keycloak/keycloak-server.ts): `start-dev` on the
// dev-file database, or `start` on PostgreSQL for the production topology;
// hostname pinned; health on the management port; the realm imported from
// keycloak/realm-export.json with the same placeholder variables.
//
// Keycloak listens inside the container on the very ports the stack config
// names, published one to one. Keycloak calls itself through its public URL
// (the dev overlay's mock Google and GitHub realms live on the same server),
// and inside the container `localhost:<port>` must then be Keycloak itself.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { KEYCLOAK_FEATURES, realmFile, realmImportEnv, ssfTransmitterOptions, themesDir } from "../keycloak/keycloak-server.ts";
import type { StackConfig } from "../stack-config.ts";
import { keycloakImageBuild } from "./container-images.ts";
import { HOST_GATEWAY_ENTRY, hostFromContainer, urlFromContainer } from "./container-host.ts";
import type { BindMountSpec, ContainerSpec } from "./container-spec.ts";

const HOME = "/opt/keycloak";

/** Where the dev-file database of a containerised Keycloak lives on this machine (survives container restarts). */
export function keycloakContainerDataDir(config: StackConfig): string {
  return join(config.stateDir, "keycloak-container", "h2");
}

export interface KeycloakContainerOptions {
  /** `uid:gid` that owns the stack's state folder (the dev-file database is written there). */
  user: string;
}

export function keycloakContainer(config: StackConfig, options: KeycloakContainerOptions): ContainerSpec {
  const importEnv = realmImportEnv(config);
  const env: Record<string, string> = {
    ...importEnv,
    // Keycloak calls the web app's back-channel logout and the mail catcher on
    // this machine, not inside its container.
    WEB_INTERNAL_URL: urlFromContainer(importEnv.WEB_INTERNAL_URL ?? config.webUrl),
    SMTP_HOST: hostFromContainer(importEnv.SMTP_HOST ?? "localhost"),
    KC_BOOTSTRAP_ADMIN_USERNAME: config.admin.user,
    KC_BOOTSTRAP_ADMIN_PASSWORD: config.admin.password,
    // The same heap as natively: predictable on two cores, enough for import plus tests.
    JAVA_OPTS_KC_HEAP: "-Xms256m -Xmx768m",
  };
  const bindMounts: BindMountSpec[] = [
    { source: realmFile, target: `${HOME}/data/import/app-realm.json`, mode: "ro" },
    ...themes().map((theme): BindMountSpec => ({ source: join(themesDir, theme), target: `${HOME}/themes/${theme}`, mode: "ro" })),
  ];
  // The same build options as the native runner: they decide what Keycloak's
  // build step bakes in.
  const command: string[] = config.production
    ? ["start", "--db=postgres", "--health-enabled=true", "--cache=local", KEYCLOAK_FEATURES]
    : ["start-dev", "--health-enabled=true", KEYCLOAK_FEATURES];
  let user: string | undefined;
  if (config.production) {
    const p = config.production;
    // Credentials through the environment, not the command line (docker inspect and ps show arguments).
    env.KC_DB_USERNAME = p.keycloakDatabase;
    env.KC_DB_PASSWORD = config.secrets.keycloakDbPassword;
    command.push(`--db-url=jdbc:postgresql://${hostFromContainer(p.postgresHost)}:${p.postgresPort}/${p.keycloakDatabase}`, "--http-enabled=true");
  } else {
    // The dev-file database on this machine, like the native server folder, so
    // users and sessions survive a restart of the part. The image's files
    // belong to group 0 and are group-writable; running as this machine's user
    // in group 0 lets Keycloak write both its own folders and the mount.
    bindMounts.push({ source: keycloakContainerDataDir(config), target: `${HOME}/data/h2`, mode: "rw" });
    user = options.user;
  }
  command.push(
    ...ssfTransmitterOptions(config),
    `--http-port=${config.ports.keycloak}`,
    `--http-management-port=${config.ports.keycloakManagement}`,
    `--hostname=${config.keycloakUrl}`,
    "--import-realm",
  );
  return {
    name: "keycloak",
    // Built, not pulled as is: the realm lists our event listener, which the
    // official image lacks (Keycloak would log an error on every event and
    // leave disabled users' sessions alive).
    ...keycloakImageBuild(),
    command,
    env,
    ports: [
      { container: config.ports.keycloak, host: config.ports.keycloak },
      { container: config.ports.keycloakManagement, host: config.ports.keycloakManagement },
    ],
    bindMounts,
    extraHosts: [HOST_GATEWAY_ENTRY],
    user,
    wait: { kind: "http", path: "/health/ready", port: config.ports.keycloakManagement, status: 200 },
    // First start builds Keycloak and imports the realm; same budget as natively.
    startupTimeoutMs: 240_000,
    // Below the supervisor's stop grace (stack/src/keycloak/keycloak-server.ts: 20 s).
    stopTimeoutMs: 15_000,
  };
}

function themes(): string[] {
  if (!existsSync(themesDir)) return [];
  return readdirSync(themesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
