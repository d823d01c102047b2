import { describe, expect, it } from "vitest";
import { CmsConfigError, parseCmsConfig } from "../src/cms-config";

const env = {
  NODE_ENV: "production",
  APP_KEYS: "app-key-0123456789ab,app-key-ba9876543210",
  API_TOKEN_SALT: "api-token-salt-0123456",
  ADMIN_JWT_SECRET: "admin-jwt-secret-01234",
  TRANSFER_TOKEN_SALT: "transfer-salt-01234567",
  JWT_SECRET: "jwt-secret-0123456789ab",
  ENCRYPTION_KEY: "encryption-key-0123456",
  KEYCLOAK_ISSUER: "https://id.example.com/realms/app",
  KEYCLOAK_CMS_CLIENT_SECRET: "cms-secret",
  KEYCLOAK_SSF_PUSH_SECRET: "ssf-push-secret-0123456",
};

const problemsOf = (overrides: Record<string, string>): readonly string[] => {
  try {
    parseCmsConfig({ ...env, ...overrides }, { cwd: "/srv/cms" });
  } catch (error) {
    if (error instanceof CmsConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("the API-clients config block", () => {
  it("defaults to the whole client table and DPoP proofs of at most 60 s with asymmetric algorithms", () => {
    const { config } = parseCmsConfig(env, { cwd: "/srv/cms" });
    expect(config.apiClients.table.map((client) => client.clientId)).toEqual(["web", "mobile", "cli", "publisher"]);
    expect(config.apiClients.dpop).toMatchObject({ maxAgeSeconds: 60, leewaySeconds: 5, algorithms: ["ES256", "PS256", "RS256", "EdDSA"] });
  });

  it("narrows the table with KEYCLOAK_ALLOWED_AZP", () => {
    const { config } = parseCmsConfig({ ...env, KEYCLOAK_ALLOWED_AZP: "web,publisher" }, { cwd: "/srv/cms" });
    expect(config.apiClients.table.map((client) => client.clientId)).toEqual(["web", "publisher"]);
  });

  it("refuses a client the table does not describe, and symmetric DPoP algorithms", () => {
    expect(problemsOf({ KEYCLOAK_ALLOWED_AZP: "web,stranger" }).join("\n")).toContain("stranger");
    expect(problemsOf({ CMS_DPOP_ALGS: "HS256" }).join("\n")).toContain("HS256");
  });

  it("reads CMS_PUBLIC_URL as the base URL DPoP proofs name, and refuses one that is not a plain http(s) URL", () => {
    expect(parseCmsConfig(env, { cwd: "/srv/cms" }).config.apiClients.publicUrl).toBeUndefined();
    const read = (value: string) => parseCmsConfig({ ...env, CMS_PUBLIC_URL: value }, { cwd: "/srv/cms" }).config.apiClients.publicUrl;
    expect(read("https://API.example.com/")).toBe("https://api.example.com");
    expect(read("https://example.com:8443/cms/")).toBe("https://example.com:8443/cms");
    expect(read("https://api.example.com:443")).toBe("https://api.example.com");
    for (const bad of ["api.example.com", "ftp://api.example.com", "https://api.example.com/?x=1", "https://api.example.com/#top", "https://user:pw@api.example.com"]) {
      expect(problemsOf({ CMS_PUBLIC_URL: bad }).join("\n"), bad).toContain("CMS_PUBLIC_URL");
    }
  });
});
