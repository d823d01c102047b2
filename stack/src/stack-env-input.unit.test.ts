import { describe, expect, it } from "vitest";
import { ConfigError, parseStackEnvInput } from "./stack-env-input.ts";

describe("parseStackEnvInput", () => {
  it("reads the runner's variables; an empty value counts as unset", () => {
    const input = parseStackEnvInput({ STACK_CACHE_DIR: "/cache", STACK_WEB_MODE: "", STACK_RUNTIME: "", KEYCLOAK_DIST: "/kc.zip", PATH: "/bin" });
    expect(input.cacheDir).toBe("/cache");
    expect(input.webMode).toBeUndefined();
    expect(input.runtime).toBe("native");
    expect(input.keycloakDist).toBe("/kc.zip");
    expect(input.devOverlay).toBe(true);
    expect(parseStackEnvInput({ STACK_DEV_OVERLAY: "false" }).devOverlay).toBe(false);
  });

  it("derives the cache folder from XDG_CACHE_HOME when STACK_CACHE_DIR is unset", () => {
    expect(parseStackEnvInput({ XDG_CACHE_HOME: "/xdg" }).cacheDir).toBe("/xdg/kc-next-strapi");
  });

  it("keeps each profile's port variables apart", () => {
    const input = parseStackEnvInput({ KEYCLOAK_PORT: "8081", STACK_TEST_KEYCLOAK_PORT: "18681", STACK_TEST_WEB_PORT: "13601" });
    expect(input.ports[""]).toEqual({ keycloak: 8081 });
    expect(input.ports.STACK_TEST_).toEqual({ keycloak: 18681, web: 13601 });
    expect(input.ports.STACK_PROD_).toEqual({});
  });

  it("lists every bad value in one error", () => {
    const bad = { STACK_TEST_CMS_PORT: "0", WEB_PORT: "http", STACK_WEB_MODE: "fast", STACK_BIND_HOST: "example.com", STACK_POSTGRES_URL: "mysql://x", STACK_REDIS_URL: "nope", STACK_RUNTIME: "docker" };
    expect(() => parseStackEnvInput(bad)).toThrow(ConfigError);
    const message = (() => {
      try {
        parseStackEnvInput(bad);
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    for (const line of [
      "STACK_TEST_CMS_PORT=0 is not a usable TCP port",
      "WEB_PORT=http is not a usable TCP port",
      "STACK_WEB_MODE=fast must be dev or prod",
      "STACK_BIND_HOST=example.com is not an IP address",
      "STACK_POSTGRES_URL=mysql://x is not a postgres:// URL",
      "STACK_REDIS_URL=nope is not a redis:// URL",
      "STACK_RUNTIME=docker must be native or containers",
    ]) {
      expect(message).toContain(line);
    }
  });

  it("hands children a copy of the environment it was given", () => {
    const env = { PATH: "/bin", HOME: "/home/x" };
    const input = parseStackEnvInput(env);
    expect(input.inherited).toEqual(env);
    expect(input.inherited).not.toBe(env);
  });
});
