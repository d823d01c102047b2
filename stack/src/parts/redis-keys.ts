// The production topology's web instances keep sessions, refresh locks and
// successor records in Redis under one key prefix per profile. A fresh test
// run deletes that prefix (and only that prefix).
import { Redis } from "ioredis";

export class RedisError extends Error {
  readonly code = "ERR_REDIS";
}

export async function checkRedis(url: string, options: { clearPrefix?: string }): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisError(`Redis is not reachable at ${url} (${(error as Error).message}). Start it, or set STACK_REDIS_URL.`);
  }
  try {
    if (options.clearPrefix) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${options.clearPrefix}*`, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
}
