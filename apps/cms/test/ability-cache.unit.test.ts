import { describe, expect, it } from "vitest";
import { AbilityCache } from "../src/auth/roles/ability-cache";
import { rememberAnswers } from "../src/auth/roles/strapi-role-abilities";

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

  it("keys an array that may still change afresh on every call, a frozen one once", async () => {
    const { cache, loads } = setup();
    const roles = ["editor", "public"];
    expect(await cache.forRoles(roles)).toEqual({ roles: ["editor", "public"] });
    roles.splice(0, 1);
    expect(await cache.forRoles(roles)).toEqual({ roles: ["public"] });
    const frozen = Object.freeze(["public", "editor"]);
    expect(await cache.forRoles(frozen)).toEqual({ roles: ["editor", "public"] });
    expect(await cache.forRoles(frozen)).toEqual({ roles: ["editor", "public"] });
    expect(loads).toEqual([["editor", "public"], ["public"]]);
  });
});

describe("rememberAnswers", () => {
  it("asks the ability once per action and gives its answers, yes and no", () => {
    const asked: string[] = [];
    const ability = rememberAnswers({
      can: (action) => {
        asked.push(action);
        return action === "api::article.article.find";
      },
    });
    for (let i = 0; i < 3; i++) {
      expect(ability.can("api::article.article.find")).toBe(true);
      expect(ability.can("api::note.note.create")).toBe(false);
    }
    expect(asked).toEqual(["api::article.article.find", "api::note.note.create"]);
  });
});
