import "server-only";
import type { WebConfig } from "../../config/web-config";
import type { Logger } from "../../log/logger";
import { FileTokenStore } from "./file-token-store";
import { RedisTokenStore } from "./redis-token-store";
import { createTokenCipher } from "./token-cipher";
import type { TokenStore } from "./token-store";

type StoreConfig = Pick<WebConfig, "authSecret" | "redisUrl" | "redisKeyPrefix" | "sessionStoreDir" | "storePurgeIntervalMs">;

/**
 * The token store the config asks for: Redis when `REDIS_URL` is set (many
 * instances), else the embedded file store, which then purges expired entries
 * on a timer. Both seal what they keep (token-cipher.ts).
 */
export function openTokenStore(config: StoreConfig, logger: Logger): TokenStore {
  // A stored session is read on every page view and changes only when its tokens are refreshed.
  // About 10 kB per entry (the sealed text and what it opened to): at most ~20 MB; a forgotten one is opened again.
  const cipher = createTokenCipher(config.authSecret, undefined, { rememberOpened: { maxEntries: 2_000, ttlMs: 5 * 60_000 } });
  if (config.redisUrl) return new RedisTokenStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, cipher });
  const store = new FileTokenStore({ dir: config.sessionStoreDir, cipher });
  schedulePurge(store, config.storePurgeIntervalMs, logger);
  return store;
}

function schedulePurge(store: FileTokenStore, intervalMs: number, logger: Logger): void {
  const purge = () =>
    store.purgeExpired().then(
      (removed) => removed > 0 && logger.debug("token_store_purged", { removed }),
      () => logger.warn("token_store_purge_failed", {}),
    );
  void purge();
  // unref: the timer must not keep a finishing process alive.
  setInterval(purge, intervalMs).unref();
}
