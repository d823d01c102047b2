import { describe, expect, it } from "vitest";
import { ConfigError, loadWebConfig } from "./web-config";

const minimal = {
  WEB_URL: "http://localhost:3000",
  AUTH_SECRET: "0123456789abcdef0123456789abcdef",
  KEYCLOAK_ISSUER: "http://localhost:8080/realms/app",
  KEYCLOAK_WEB_CLIENT_SECRET: "web-secret",
  CMS_URL: "http://localhost:1337/",
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadWebConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("web config", () => {
  it("applies defaults", () => {
    const { config, warnings } = loadWebConfig(minimal);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      webUrl: "http://localhost:3000",
      cmsUrl: "http://localhost:1337",
      keycloakInternalUrl: "http://localhost:8080",
      webClientId: "web",
      redisUrl: undefined,
      sessionStoreDir: ".data/sessions",
      refreshMarginMs: 30_000,
      refreshLockTtlMs: 10_000,
      successorTtlMs: 30_000,
      sessionMaxAgeSeconds: 36_000,
      logoutTokenMaxAgeSeconds: 300,
      production: false,
      benchRoutes: false,
    });
  });

  describe("WEB_BENCH_ROUTES (npm run bench only)", () => {
    const production = { ...minimal, NODE_ENV: "production", WEB_URL: "https://app.example.com", KEYCLOAK_ISSUER: "https://id.example.com/realms/app" };

    it("is refused for any deployment: a WEB_URL other than loopback, production or not", () => {
      expect(problemsOf(production)).toEqual([]);
      expect(problemsOf({ ...production, WEB_BENCH_ROUTES: "true" })).toEqual([expect.stringMatching(/^WEB_BENCH_ROUTES=true requires a loopback WEB_URL .*"app\.example\.com"/)]);
      expect(problemsOf({ ...minimal, WEB_URL: "http://app.example.com", WEB_BENCH_ROUTES: "true" })).toEqual([expect.stringMatching(/^WEB_BENCH_ROUTES=true requires a loopback WEB_URL/)]);
    });

    it("is allowed on a loopback WEB_URL (the bench stack runs the production build), with a warning", () => {
      for (const WEB_URL of ["http://localhost:26300", "http://127.0.0.1:26300", "http://[::1]:26300"]) {
        const { config, warnings } = loadWebConfig({ ...minimal, NODE_ENV: "production", WEB_URL, WEB_BENCH_ROUTES: "true" });
        expect(config.benchRoutes, WEB_URL).toBe(true);
        expect(warnings.join()).toContain("WEB_BENCH_ROUTES");
      }
    });

    it("takes only true or false", () => {
      expect(problemsOf({ ...minimal, WEB_BENCH_ROUTES: "yes" })).toEqual(["WEB_BENCH_ROUTES must be true or false"]);
      expect(loadWebConfig({ ...minimal, WEB_BENCH_ROUTES: "false" }).config.benchRoutes).toBe(false);
    });
  });

  it("names every problem in one error", () => {
    const problems = problemsOf({ WEB_URL: "not a url", SESSION_REFRESH_MARGIN_SECONDS: "-5", REDIS_URL: "http://redis" });
    expect(problems).toEqual(
      expect.arrayContaining([
        "WEB_URL must be an http(s) URL",
        "AUTH_SECRET is required",
        "KEYCLOAK_ISSUER is required",
        "KEYCLOAK_WEB_CLIENT_SECRET is required",
        "CMS_URL is required",
        "REDIS_URL must be a redis:// or rediss:// URL",
        expect.stringMatching(/^SESSION_REFRESH_MARGIN_SECONDS /),
      ]),
    );
    expect(() => loadWebConfig({})).toThrow(/WEB_URL is required[\s\S]*CMS_URL is required/);
  });

  it("still checks the variables that are present when others are missing", () => {
    expect(problemsOf({ NODE_ENV: "production", WEB_URL: "http://app.example.com", AUTH_SECRET: "short" })).toEqual(
      expect.arrayContaining([
        "KEYCLOAK_ISSUER is required",
        expect.stringMatching(/^AUTH_SECRET should be at least 32/),
        "WEB_URL must use https outside localhost",
      ]),
    );
  });

  it("treats empty variables as unset", () => {
    expect(loadWebConfig({ ...minimal, REDIS_URL: "", KEYCLOAK_INTERNAL_URL: "" }).config.redisUrl).toBeUndefined();
  });

  it("fails insecure settings in production and warns in development", () => {
    const insecure = { ...minimal, WEB_URL: "http://app.example.com", AUTH_SECRET: "short" };
    expect(loadWebConfig(insecure).warnings).toHaveLength(2);
    expect(problemsOf({ ...insecure, NODE_ENV: "production" })).toEqual([
      expect.stringMatching(/AUTH_SECRET/),
      expect.stringMatching(/WEB_URL must use https/),
    ]);
    expect(problemsOf({ ...minimal, NODE_ENV: "production" })).toEqual([]);
  });

  it("checks the issuer's shape and the successor/lock lifetimes", () => {
    expect(problemsOf({ ...minimal, KEYCLOAK_ISSUER: "http://localhost:8080/" })).toEqual([expect.stringMatching(/KEYCLOAK_ISSUER/)]);
    expect(problemsOf({ ...minimal, SESSION_REFRESH_LOCK_SECONDS: "30", SESSION_SUCCESSOR_TTL_SECONDS: "30" })).toEqual([
      expect.stringMatching(/SESSION_SUCCESSOR_TTL_SECONDS/),
    ]);
  });

  it("uses KEYCLOAK_INTERNAL_URL and REDIS_URL when given", () => {
    const { config } = loadWebConfig({ ...minimal, KEYCLOAK_INTERNAL_URL: "http://keycloak:8080/", REDIS_URL: "redis://redis:6379/0" });
    expect(config.keycloakInternalUrl).toBe("http://keycloak:8080");
    expect(config.redisUrl).toBe("redis://redis:6379/0");
  });
});
