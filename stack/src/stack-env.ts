// The contract between the runner and the test processes it starts: what a
// running stack's addresses are, and the variables that carry them. The runner
// writes them (run-tests.ts); the test kit reads them
// (packages/testkit/src/stack-env.ts); tests never hard-code ports.

export interface StackEnv {
  /** Keycloak base URL, e.g. http://localhost:18080 */
  keycloakUrl: string;
  /** The product realm, `app`. */
  realm: string;
  /** `${keycloakUrl}/realms/${realm}` — the `iss` of every token. */
  issuer: string;
  /** Keycloak master-realm admin (dev/test bootstrap admin). */
  adminUser: string;
  adminPassword: string;
  webClientId: string;
  webClientSecret: string;
  cmsClientId: string;
  cmsClientSecret: string;
  /** The `publisher` client's secret (client credentials). */
  publisherClientSecret: string;
  /** Strapi base URL, e.g. http://localhost:11337 */
  cmsUrl: string;
  /** Web app base URL, e.g. http://localhost:13000 */
  webUrl: string;
  /** Mail catcher web inbox and HTTP API base URL. */
  mailUrl: string;
  /** Absolute path of the test stack's state folder (logs, data). */
  stateDir: string;
  /** The address every part listens on (STACK_BIND_HOST; loopback by default). */
  bindHost: string;
}

/** The variable that carries each address (`issuer` is derived, not carried). */
export const STACK_ENV_VARS = {
  keycloakUrl: "STACK_KEYCLOAK_URL",
  realm: "STACK_REALM",
  adminUser: "STACK_KEYCLOAK_ADMIN_USER",
  adminPassword: "STACK_KEYCLOAK_ADMIN_PASSWORD",
  webClientId: "STACK_WEB_CLIENT_ID",
  webClientSecret: "STACK_WEB_CLIENT_SECRET",
  cmsClientId: "STACK_CMS_CLIENT_ID",
  cmsClientSecret: "STACK_CMS_CLIENT_SECRET",
  publisherClientSecret: "STACK_PUBLISHER_CLIENT_SECRET",
  cmsUrl: "STACK_CMS_URL",
  webUrl: "STACK_WEB_URL",
  mailUrl: "STACK_MAIL_URL",
  stateDir: "STACK_STATE_DIR",
  bindHost: "STACK_BIND_HOST",
} as const satisfies Record<Exclude<keyof StackEnv, "issuer">, string>;

/** The variables to hand to a test process for a given stack. */
export function stackEnvVars(stack: StackEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(STACK_ENV_VARS).map(([key, name]) => [name, String(stack[key as keyof typeof STACK_ENV_VARS])]),
  );
}
