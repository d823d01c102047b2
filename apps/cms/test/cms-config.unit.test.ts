import { describe, expect, it } from "vitest";
import { CmsConfigError, parseCmsConfig } from "../src/cms-config";

const secrets = {
  APP_KEYS: "app-key-0123456789ab,app-key-ba9876543210",
  API_TOKEN_SALT: "api-token-salt-0123456",
  ADMIN_JWT_SECRET: "admin-jwt-secret-01234",
  TRANSFER_TOKEN_SALT: "transfer-salt-01234567",
  JWT_SECRET: "jwt-secret-0123456789ab",
  ENCRYPTION_KEY: "encryption-key-0123456",
};
const production = {
  NODE_ENV: "production",
  ...secrets,
  KEYCLOAK_ISSUER: "https://id.example.com/realms/app",
  KEYCLOAK_CMS_CLIENT_SECRET: "cms-secret",
  KEYCLOAK_SSF_PUSH_SECRET: "ssf-push-secret-0123456",
};

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    parseCmsConfig(env, { cwd: "/srv/cms" });
  } catch (error) {
    if (error instanceof CmsConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseCmsConfig", () => {
  it("applies the documented defaults", () => {
    const { config } = parseCmsConfig(production, { cwd: "/srv/cms" });
    expect(config.server).toMatchObject({ host: "127.0.0.1", port: 1337 });
    expect(config.adminPanel).toEqual({ enabled: false });
    expect(config.database).toEqual({ client: "sqlite", filename: "/srv/cms/.tmp/data.db" });
    expect(config.keycloak).toMatchObject({
      issuer: "https://id.example.com/realms/app",
      jwksUrl: "https://id.example.com/realms/app/protocol/openid-connect/certs",
      introspectionUrl: "https://id.example.com/realms/app/protocol/openid-connect/token/introspect",
      audience: "cms",
      allowedAzp: ["web", "mobile", "cli", "publisher"],
      algorithms: ["RS256"],
      clockLeewaySeconds: 5,
      maxTokenBytes: 8192,
      jwksCooldownSeconds: 5,
      jwksMaxAgeSeconds: 300,
      httpTimeoutMs: 3000,
      cmsClientId: "cms",
      revocationWindowSeconds: 5,
      introspectionUnreachable: "reads-open",
      introspectionMaxStalenessSeconds: 60,
    });
    expect(config.authCache).toEqual({ ttlSeconds: 30, maxEntries: 10000 });
  });

  it("in ssf mode, checks requests against pushed revocations alone unless the introspection backstop is asked for", () => {
    const { config, warnings } = parseCmsConfig(production);
    expect(config.keycloak.revocation).toBe("ssf");
    expect(config.keycloak.ssf.introspectionBackstop).toBe(false);
    expect(warnings).toEqual([]);
    expect(parseCmsConfig({ ...production, KEYCLOAK_SSF_INTROSPECTION_BACKSTOP: "true" }).config.keycloak.ssf.introspectionBackstop).toBe(true);
    expect(problemsOf({ ...production, KEYCLOAK_SSF_INTROSPECTION_BACKSTOP: "yes" }).join("\n")).toContain("KEYCLOAK_SSF_INTROSPECTION_BACKSTOP");
  });

  it("calls Keycloak through KEYCLOAK_INTERNAL_URL while keeping the public issuer", () => {
    const { config } = parseCmsConfig({ ...production, KEYCLOAK_INTERNAL_URL: "http://keycloak:8080" });
    expect(config.keycloak.issuer).toBe("https://id.example.com/realms/app");
    expect(config.keycloak.jwksUrl).toBe("http://keycloak:8080/realms/app/protocol/openid-connect/certs");
  });

  it("reads postgres settings", () => {
    const { config } = parseCmsConfig({ ...production, DATABASE_CLIENT: "postgres", DATABASE_URL: "postgres://u:p@db/cms" });
    expect(config.database).toEqual({ client: "postgres", url: "postgres://u:p@db/cms" });
  });

  it("lists every problem at once", () => {
    const problems = problemsOf({
      NODE_ENV: "production",
      PORT: "http",
      DATABASE_CLIENT: "mysql",
      KEYCLOAK_ALLOWED_ALGS: "RS256,HS256,none",
      KEYCLOAK_INTROSPECTION_UNREACHABLE: "sometimes",
    });
    const text = problems.join("\n");
    for (const name of ["PORT", "APP_KEYS", "API_TOKEN_SALT", "ADMIN_JWT_SECRET", "TRANSFER_TOKEN_SALT", "JWT_SECRET", "ENCRYPTION_KEY", "DATABASE_CLIENT", "KEYCLOAK_ISSUER", "KEYCLOAK_ALLOWED_ALGS", "KEYCLOAK_INTROSPECTION_UNREACHABLE", "KEYCLOAK_CMS_CLIENT_SECRET"]) {
      expect(text).toContain(name);
    }
    expect(text).toContain("HS256, none");
  });

  it("never accepts symmetric algorithms or none, in any environment", () => {
    expect(problemsOf({ NODE_ENV: "development", KEYCLOAK_ALLOWED_ALGS: "HS256" }).join()).toContain("HS256");
  });

  it("rejects an issuer that cannot equal iss", () => {
    expect(problemsOf({ ...production, KEYCLOAK_ISSUER: "https://id.example.com/realms/app/" }).join()).toContain("KEYCLOAK_ISSUER");
    expect(problemsOf({ ...production, KEYCLOAK_ISSUER: "id.example.com" }).join()).toContain("KEYCLOAK_ISSUER");
  });

  describe("insecure settings: fatal in production, warnings in development", () => {
    const insecure = {
      KEYCLOAK_REVOCATION_WINDOW_SECONDS: "0",
      KEYCLOAK_INTROSPECTION_UNREACHABLE: "open",
      KEYCLOAK_CLOCK_LEEWAY_SECONDS: "120",
      KEYCLOAK_ISSUER: "http://id.example.com/realms/app",
      JWT_SECRET: "short",
    };

    it("fails in production", () => {
      const problems = problemsOf({ ...production, ...insecure });
      expect(problems).toHaveLength(5);
    });

    it("warns in development", () => {
      const { warnings } = parseCmsConfig({ ...production, NODE_ENV: "development", ...insecure });
      expect(warnings).toHaveLength(5);
    });

    it("allows a plain-http issuer on loopback in production (the test stack)", () => {
      expect(problemsOf({ ...production, KEYCLOAK_ISSUER: "http://localhost:18080/realms/app" })).toEqual([]);
    });
  });

  it("in development, invents missing secrets and turns the revocation check off without a client secret", () => {
    const { config, warnings } = parseCmsConfig({ NODE_ENV: "development" }, { randomSecret: () => "random-secret-value" });
    expect(config.server.appKeys).toEqual(["random-secret-value", "random-secret-value"]);
    expect(config.secrets.jwtSecret).toBe("random-secret-value");
    expect(config.keycloak.issuer).toBe("http://localhost:8080/realms/app");
    expect(config.keycloak.revocationWindowSeconds).toBe(0);
    expect(warnings.join("\n")).toMatch(/revocation check is OFF/);
  });

  it("requires the client secret for the revocation check in production", () => {
    const { KEYCLOAK_CMS_CLIENT_SECRET: _omit, ...withoutSecret } = production;
    expect(problemsOf(withoutSecret).join()).toContain("KEYCLOAK_CMS_CLIENT_SECRET");
  });

  describe("CMS_BENCH_ROUTES (npm run bench only)", () => {
    it("is off unless set", () => {
      expect(parseCmsConfig(production, { cwd: "/srv/cms" }).config.bench).toEqual({ routes: false });
    });

    it("is refused in production", () => {
      expect(problemsOf({ ...production, CMS_BENCH_ROUTES: "true" }).join()).toContain("CMS_BENCH_ROUTES");
    });

    it("turns on with a warning elsewhere", () => {
      const { config, warnings } = parseCmsConfig({ ...secrets, CMS_BENCH_ROUTES: "true" }, { cwd: "/srv/cms" });
      expect(config.bench).toEqual({ routes: true });
      expect(warnings.join()).toContain("CMS_BENCH_ROUTES");
    });

    it("accepts only true or false", () => {
      expect(problemsOf({ ...secrets, CMS_BENCH_ROUTES: "yes" }).join()).toContain("CMS_BENCH_ROUTES");
    });

    it("requires a loopback bind host as well as a non-production environment", () => {
      for (const HOST of ["0.0.0.0", "::", "192.168.1.20", "cms.example.com"]) {
        const problems = problemsOf({ ...secrets, HOST, CMS_BENCH_ROUTES: "true" });
        expect(problems, HOST).toHaveLength(1);
        expect(problems[0]).toMatch(/CMS_BENCH_ROUTES=true requires a loopback HOST/);
        expect(problems[0]).toContain(HOST);
      }
      for (const HOST of ["127.0.0.1", "127.0.0.2", "::1", "localhost"]) {
        expect(parseCmsConfig({ ...secrets, HOST, CMS_BENCH_ROUTES: "true" }).config.bench, HOST).toEqual({ routes: true });
      }
      // Off, the bench setting says nothing about the host.
      expect(problemsOf({ ...secrets, HOST: "0.0.0.0" })).toEqual([]);
    });
  });

  describe("CMS_ADMIN_PANEL", () => {
    const panel = { ...production, CMS_ADMIN_PANEL: "true", CMS_ADMIN_EMAIL: "ops@example.com", CMS_ADMIN_PASSWORD: "Correct-horse-42-battery" };

    it("is off unless set, and then needs no admin credentials", () => {
      expect(parseCmsConfig(production).config.adminPanel).toEqual({ enabled: false });
      expect(problemsOf({ ...production, CMS_ADMIN_PANEL: "false" })).toEqual([]);
    });

    it("turns on with the first admin's credentials, and warns", () => {
      const { config, warnings } = parseCmsConfig(panel);
      expect(config.adminPanel).toEqual({ enabled: true, firstAdmin: { email: "ops@example.com", password: "Correct-horse-42-battery" } });
      expect(warnings.join()).toContain("CMS_ADMIN_PANEL=true");
    });

    it("is refused without an email or a password, in every environment", () => {
      for (const NODE_ENV of ["production", "development"]) {
        const text = problemsOf({ ...production, NODE_ENV, CMS_ADMIN_PANEL: "true" }).join("\n");
        expect(text).toContain("CMS_ADMIN_EMAIL");
        expect(text).toContain("CMS_ADMIN_PASSWORD is required");
      }
      expect(problemsOf({ ...panel, CMS_ADMIN_EMAIL: "not-an-address" }).join()).toContain("CMS_ADMIN_EMAIL");
    });

    it("refuses a weak password without ever repeating it", () => {
      for (const password of ["Short-pw-1", "all-lower-case-42", "ALL-UPPER-CASE-42", "No-digits-at-all", `Long-${"x".repeat(70)}-1`, "Ops-password-1234"]) {
        const problems = problemsOf({ ...panel, CMS_ADMIN_PASSWORD: password });
        expect(problems, password).toHaveLength(1);
        expect(problems[0]).toContain("CMS_ADMIN_PASSWORD is too weak");
        expect(problems[0]).not.toContain(password);
      }
    });

    it("accepts only true or false", () => {
      expect(problemsOf({ ...panel, CMS_ADMIN_PANEL: "yes" }).join()).toContain("CMS_ADMIN_PANEL must be true or false");
    });
  });
});
