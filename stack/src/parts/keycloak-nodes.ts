// Keycloak as parts of the stack: one part named `keycloak` (development, or
// one container), or one per node of the production topology (keycloak-1,
// keycloak-2) sharing the database.
import type { ContainerRuntime } from "../containers/container-runtime.ts";
import type { JavaRuntime } from "../keycloak/find-java.ts";
import { keycloakHealthUrl, rememberBuild, startKeycloak } from "../keycloak/keycloak-server.ts";
import type { KeycloakNode, StackConfig } from "../stack-config.ts";
import type { PartDefinition } from "./part-definition.ts";

// A production node's first start also runs Keycloak's build (two minutes on two loaded
// cores) before creating the schema and importing the realm. ms.
const TIMEOUT_MS = { keycloak: 420_000, keycloakNode: 480_000 };

export interface KeycloakNodesOptions {
  config: StackConfig;
  /** `[undefined]` for the single development Keycloak. */
  nodes: readonly (KeycloakNode | undefined)[];
  containers: ContainerRuntime | undefined;
  /** Required when `containers` is undefined. */
  java: JavaRuntime | undefined;
  /** The node's server folder, prepared at its first start. */
  homeOf: (node: KeycloakNode | undefined) => string;
  /** Sets up the realm (stack/src/keycloak/configure-keycloak.ts). */
  configure: () => Promise<void>;
}

export function keycloakNodeParts(options: KeycloakNodesOptions): PartDefinition[] {
  const { config, containers, java, homeOf } = options;
  let configured = false;
  return options.nodes.map((node) => ({
    name: node?.name ?? "keycloak",
    spawn: () => containers?.keycloak(config) ?? startKeycloak(config, homeOf(node), java!, node),
    healthUrl: keycloakHealthUrl(config, node),
    timeoutMs: node ? TIMEOUT_MS.keycloakNode : TIMEOUT_MS.keycloak,
    onReady: async () => {
      if (!containers) rememberBuild(config, node);
      // A cluster's realm settings live in the database: configured once, by
      // the first node up; a restarted node of a running cluster needs nothing.
      if (node && configured) return;
      await options.configure();
      configured = true;
    },
  }));
}
