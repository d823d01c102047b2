// A bounded in-memory cache: entries expire after their TTL and a least
// recently used entry is evicted when the cache is full. Map keeps insertion
// order, so re-inserting on read makes the first key the least recently used.
//
// Re-inserting costs a delete and an insert on every hit, and the holes left
// make the Map rehash; the caches are read on every request. So a hit moves its
// entry only when at least half the capacity of inserts and moves happened since
// it was last put at the end: an entry is evicted only after going unused for at
// least that many of them (LRU within a factor of two). Eviction never weakens a
// check: an evicted entry is looked up, verified or asked for again.

export interface TtlCacheOptions {
  maxEntries: number;
  /** Default time to live, ms. */
  ttlMs: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number; placedAt: number }>();
  private readonly now: () => number;
  private readonly moveAfter: number;
  /** Counts inserts and moves: `placedAt` of the entry at the end of the Map. */
  private placements = 0;

  private readonly options: TtlCacheOptions;

  constructor(options: TtlCacheOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.moveAfter = Math.max(1, Math.floor(options.maxEntries / 2));
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.placements - entry.placedAt >= this.moveAfter) {
      this.entries.delete(key);
      entry.placedAt = ++this.placements;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V, ttlMs: number = this.options.ttlMs): void {
    if (ttlMs <= 0) {
      this.entries.delete(key);
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, placedAt: ++this.placements });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
