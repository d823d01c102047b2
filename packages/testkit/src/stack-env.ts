// What integration and flow tests know about the running stack. The test runner
// (stack/src/cli.ts `test`) starts the stack once and passes its addresses to
// vitest through these variables; tests never hard-code ports.

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

const VARS = {
  keycloakUrl: "STACK_KEYCLOAK_URL",
  realm: "STACK_REALM",
  adminUser: "STACK_KEYCLOAK_ADMIN_USER",
  adminPassword: "STACK_KEYCLOAK_ADMIN_PASSWORD",
  webClientId: "STACK_WEB_CLIENT_ID",
  webClientSecret: "STACK_WEB_CLIENT_SECRET",
  cmsClientId: "STACK_CMS_CLIENT_ID",
  cmsClientSecret: "STACK_CMS_CLIENT_SECRET",
  cmsUrl: "STACK_CMS_URL",
  webUrl: "STACK_WEB_URL",
  mailUrl: "STACK_MAIL_URL",
  stateDir: "STACK_STATE_DIR",
  bindHost: "STACK_BIND_HOST",
} as const satisfies Record<Exclude<keyof StackEnv, "issuer">, string>;

/** Reads the running stack's addresses; throws one error naming every missing variable. */
export function stackEnv(env: NodeJS.ProcessEnv = process.env): StackEnv {
  const missing = Object.values(VARS).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `The test stack is not running (missing ${missing.join(", ")}). Run the suite with \`npm test\`, which starts it.`,
    );
  }
  const read = Object.fromEntries(Object.entries(VARS).map(([key, name]) => [key, env[name] as string])) as Omit<
    StackEnv,
    "issuer"
  >;
  return { ...read, issuer: `${read.keycloakUrl}/realms/${read.realm}` };
}

/** The variables to hand to a vitest process for a given stack. */
export function stackEnvVars(stack: StackEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(VARS).map(([key, name]) => [name, String(stack[key as keyof typeof VARS])]));
}
