import { describe, expect, it } from "vitest";
import { AbilityCache } from "../src/auth/roles/ability-cache";

function setup() {
  const loads: string[][] = [];
  const cache = new AbilityCache(
    async (roleTypes) => {
      loads.push([...roleTypes]);
      return { roles: [...roleTypes] };
    },
    { ttlMs: 60_000, maxEntries: 10 },
  );
  return { cache, loads };
}

describe("AbilityCache", () => {
  it("loads one ability per set of roles, whatever their order or repeats", async () => {
    const { cache, loads } = setup();
    const first = await cache.forRoles(["editor", "public"]);
    expect(await cache.forRoles(["public", "editor", "public"])).toBe(first);
    expect(loads).toEqual([["editor", "public"]]);
    expect(await cache.forRoles(["public"])).toEqual({ roles: ["public"] });
  });

  it("loads again after invalidate", async () => {
    const { cache, loads } = setup();
    await cache.forRoles(["public"]);
    cache.invalidate();
    await cache.forRoles(["public"]);
    expect(loads).toHaveLength(2);
  });
});
