import { describe, expect, it } from "vitest";
import { TtlCache } from "../src/ttl-cache.ts";

describe("TtlCache", () => {
  it("expires entries after their TTL", () => {
    const clock = { ms: 0 };
    const cache = new TtlCache<string, number>({ maxEntries: 10, ttlMs: 100, now: () => clock.ms });
    cache.set("a", 1);
    cache.set("b", 2, 500);
    clock.ms = 99;
    expect(cache.get("a")).toBe(1);
    clock.ms = 100;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new TtlCache<string, number>({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("keeps an entry that is read between inserts", () => {
    const cache = new TtlCache<string, number>({ maxEntries: 4, ttlMs: 1000, now: () => 0 });
    cache.set("hot", 0);
    for (let i = 1; i <= 20; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get("hot")).toBe(0);
    }
    // The three newest cold entries and the hot one.
    expect([17, 18, 19, 20].map((i) => cache.get(`cold-${i}`))).toEqual([undefined, 18, 19, 20]);
    expect(cache.size).toBe(4);
  });

  it("moves a hit to the back only after half the capacity of placements: LRU within a factor of two", () => {
    const recent = new TtlCache<string, number>({ maxEntries: 4, ttlMs: 1000, now: () => 0 });
    recent.set("a", 1);
    recent.set("b", 2);
    recent.get("a"); // placed one placement ago: stays where it is
    for (const key of ["c", "d", "e"]) recent.set(key, 0);
    expect(recent.get("a")).toBeUndefined();
    expect(recent.get("b")).toBe(2);

    const older = new TtlCache<string, number>({ maxEntries: 4, ttlMs: 1000, now: () => 0 });
    for (const key of ["a", "b", "c"]) older.set(key, 0);
    older.get("a"); // placed two placements ago: moved to the back
    for (const key of ["d", "e"]) older.set(key, 0);
    expect(older.get("b")).toBeUndefined();
    expect(older.get("a")).toBe(0);
  });

  it("does not store with a TTL of 0", () => {
    const cache = new TtlCache<string, number>({ maxEntries: 2, ttlMs: 0 });
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
