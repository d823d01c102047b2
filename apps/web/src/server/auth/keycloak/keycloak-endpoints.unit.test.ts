import { describe, expect, it } from "vitest";
import { keycloakEndpoints, keycloakFetch } from "./keycloak-endpoints";

describe("Keycloak endpoints", () => {
  it("uses the public issuer for the browser and the internal base for server calls", () => {
    const endpoints = keycloakEndpoints("http://localhost:8080/realms/app", "http://keycloak:8080");
    expect(endpoints.endSession).toBe("http://localhost:8080/realms/app/protocol/openid-connect/logout");
    expect(endpoints.token).toBe("http://keycloak:8080/realms/app/protocol/openid-connect/token");
    expect(endpoints.logout).toBe("http://keycloak:8080/realms/app/protocol/openid-connect/logout");
    expect(endpoints.jwks).toBe("http://keycloak:8080/realms/app/protocol/openid-connect/certs");
    expect(endpoints.toInternal("http://localhost:8080/realms/app/.well-known/openid-configuration")).toBe(
      "http://keycloak:8080/realms/app/.well-known/openid-configuration",
    );
    expect(endpoints.toInternal("http://localhost:80801/x")).toBe("http://localhost:80801/x");
    expect(endpoints.toInternal("http://other/realms/app")).toBe("http://other/realms/app");
  });

  it("is the identity when no internal URL differs", () => {
    const endpoints = keycloakEndpoints("http://localhost:8080/realms/app", "http://localhost:8080");
    expect(endpoints.token).toBe("http://localhost:8080/realms/app/protocol/openid-connect/token");
  });

  it("fetches through the internal base with a timeout signal", async () => {
    const seen: { url: string; signal?: AbortSignal | null }[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen.push({ url, signal: init?.signal });
      return new Response("{}");
    }) as typeof fetch;
    const kcFetch = keycloakFetch(keycloakEndpoints("http://localhost:8080/realms/app", "http://keycloak:8080"), 1_000, fetchImpl);
    await kcFetch("http://localhost:8080/realms/app/protocol/openid-connect/certs");
    expect(seen[0]?.url).toBe("http://keycloak:8080/realms/app/protocol/openid-connect/certs");
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });
});
