import { describe, expect, it } from "vitest";
import { createKeycloakLogout } from "./keycloak-logout";

function keycloak(answer: () => Response | Promise<Response>) {
  const calls: { url: string; body: URLSearchParams }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, body: new URLSearchParams(String(init?.body)) });
    return answer();
  }) as typeof fetch;
  const logout = createKeycloakLogout({ logoutEndpoint: "http://kc/realms/app/protocol/openid-connect/logout", clientId: "web", clientSecret: "s3cret", fetch: fetchImpl });
  return { calls, logout };
}

describe("Keycloak server-side logout", () => {
  it("posts the refresh token with the client's credentials; 204 means the session ended", async () => {
    const { calls, logout } = keycloak(() => new Response(null, { status: 204 }));
    expect(await logout("refresh-1")).toBe("ended");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("http://kc/realms/app/protocol/openid-connect/logout");
    expect(Object.fromEntries(calls[0]!.body)).toEqual({ client_id: "web", client_secret: "s3cret", refresh_token: "refresh-1" });
  });

  it("invalid_grant means the session had already ended", async () => {
    const { logout } = keycloak(() => Response.json({ error: "invalid_grant" }, { status: 400 }));
    expect(await logout("refresh-1")).toBe("already_ended");
  });

  it("anything else, or no answer, is unavailable", async () => {
    expect(await keycloak(() => new Response("down", { status: 503 })).logout("r")).toBe("unavailable");
    expect(await keycloak(() => Response.json({ error: "invalid_client" }, { status: 401 })).logout("r")).toBe("unavailable");
    expect(await keycloak(() => Promise.reject(new TypeError("fetch failed"))).logout("r")).toBe("unavailable");
  });
});
