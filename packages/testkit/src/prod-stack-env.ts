// What the production-mode suite (`npm run test:prod`) adds to the stack
// addresses: several web instances sharing one Redis. Tests of that suite
// read them here; the prod-mode runner sets the variables.
import { stackEnv, testEnvironment, type StackEnv } from "./stack-env.ts";

export interface ProdStackEnv extends StackEnv {
  /** Every web instance's own base URL (at least two); `webUrl` is the public origin they share. */
  webInstanceUrls: string[];
  /** The Redis the instances share for tokens, refresh locks and successors. */
  redisUrl: string;
  /** The key prefix the instances use (REDIS_KEY_PREFIX), so tests can clean up after themselves. */
  redisKeyPrefix: string;
}

/** Throws one error naming every missing variable. */
export function prodStackEnv(env: Readonly<Record<string, string | undefined>> = testEnvironment()): ProdStackEnv {
  const base = stackEnv(env);
  const instances = (env.STACK_WEB_INSTANCE_URLS ?? "").split(",").map((url) => url.trim()).filter(Boolean);
  const problems: string[] = [];
  if (instances.length < 2) problems.push("STACK_WEB_INSTANCE_URLS (comma-separated, at least two web instances)");
  if (!env.STACK_REDIS_URL) problems.push("STACK_REDIS_URL");
  if (problems.length > 0) {
    throw new Error(`The production-mode stack is not running (missing ${problems.join(", ")}). Run \`npm run test:prod\`.`);
  }
  return { ...base, webInstanceUrls: instances, redisUrl: env.STACK_REDIS_URL!, redisKeyPrefix: env.STACK_REDIS_KEY_PREFIX ?? "web:" };
}

/** Redis alone, for store tests that need no web instance. */
export function redisTestUrl(env: Readonly<Record<string, string | undefined>> = testEnvironment()): string {
  const url = env.STACK_REDIS_URL;
  if (!url) throw new Error("No Redis for this test (missing STACK_REDIS_URL). Run `npm run test:prod`, which provides one.");
  return url;
}
