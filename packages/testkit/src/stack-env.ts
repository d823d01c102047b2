// What integration and flow tests know about the running stack. The test runner
// (stack/src/run-tests.ts) starts the stack once and passes its addresses to
// vitest through the variables of the runner's contract (stack/src/stack-env.ts).
import { STACK_ENV_VARS, type StackEnv } from "@stack/runner/stack-env";

export type { StackEnv };

/**
 * The test process's environment: the test kit's one read of process.env
 * (the stack's addresses, STACK_CONTROL_URL, CHROMIUM_PATH, the production
 * suite's variables). Every other test-kit module takes it as a parameter.
 */
export function testEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** Reads the running stack's addresses; throws one error naming every missing variable. */
export function stackEnv(env: Readonly<Record<string, string | undefined>> = testEnvironment()): StackEnv {
  const missing = Object.values(STACK_ENV_VARS).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `The test stack is not running (missing ${missing.join(", ")}). Run the suite with \`npm test\`, which starts it.`,
    );
  }
  const read = Object.fromEntries(Object.entries(STACK_ENV_VARS).map(([key, name]) => [key, env[name] as string])) as Omit<
    StackEnv,
    "issuer"
  >;
  return { ...read, issuer: `${read.keycloakUrl}/realms/${read.realm}` };
}
