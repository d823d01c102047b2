import { describe, expect, it } from "vitest";
import { createRefreshTokenGrant } from "./refresh-token-grant";
import type { TokenSet } from "./token-set";

const now = 5_000_000;
const previous: TokenSet & { refreshToken: string } = {
  accessToken: "old-access",
  refreshToken: "old-refresh",
  idToken: "old-id",
  obtainedAt: now - 300_000,
  accessTokenExpiresAt: now,
  refreshTokenExpiresAt: now + 1_000_000,
};

function grantAnswering(respond: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const grant = createRefreshTokenGrant({
    tokenEndpoint: "http://kc.internal/realms/app/protocol/openid-connect/token",
    clientId: "web",
    clientSecret: "web-secret",
    now: () => now,
    fetch: async (input, init) => {
      const request = new Request(input as string, init);
      requests.push(request.clone());
      return respond(request);
    },
  });
  return { grant, requests };
}

describe("refresh token grant", () => {
  it("posts the refresh token with the client's credentials and returns the rotated set", async () => {
    const { grant, requests } = grantAnswering(() =>
      Response.json({ access_token: "new-access", refresh_token: "new-refresh", id_token: "new-id", expires_in: 20, refresh_expires_in: 1800 }),
    );
    expect(await grant(previous)).toEqual({
      ok: true,
      tokens: {
        accessToken: "new-access",
        refreshToken: "new-refresh",
        idToken: "new-id",
        obtainedAt: now,
        accessTokenExpiresAt: now + 20_000,
        refreshTokenExpiresAt: now + 1_800_000,
      },
    });
    const form = new URLSearchParams(await requests[0]!.text());
    expect(requests[0]!.method).toBe("POST");
    expect(Object.fromEntries(form)).toEqual({ grant_type: "refresh_token", refresh_token: "old-refresh", client_id: "web", client_secret: "web-secret" });
  });

  it("keeps the previous ID and refresh tokens when the response omits them", async () => {
    const { grant } = grantAnswering(() => Response.json({ access_token: "new-access", expires_in: 60 }));
    const outcome = await grant(previous);
    expect(outcome.ok && outcome.tokens).toMatchObject({ refreshToken: "old-refresh", idToken: "old-id", refreshTokenExpiresAt: previous.refreshTokenExpiresAt });
  });

  it.each([
    ["invalid_grant (revoked, expired, reused, user disabled)", 400, { error: "invalid_grant", error_description: "Token is not active" }, "refresh_token_rejected"],
    ["invalid_client", 401, { error: "invalid_client" }, "refresh_client_rejected"],
    ["unauthorized_client", 400, { error: "unauthorized_client" }, "refresh_client_rejected"],
    ["a server error", 503, { error: "temporarily_unavailable" }, "refresh_unavailable"],
    ["another client error", 400, { error: "invalid_request" }, "refresh_unavailable"],
  ])("maps %s to its code", async (_label, status, body, code) => {
    const { grant } = grantAnswering(() => Response.json(body, { status }));
    expect(await grant(previous)).toEqual({ ok: false, code });
  });

  it("reports an unreachable Keycloak, a non-JSON answer and a 200 without tokens as unavailable", async () => {
    for (const respond of [
      () => Promise.reject(new TypeError("fetch failed")),
      () => new Response("<html>proxy error</html>", { status: 502 }),
      () => Response.json({ token_type: "Bearer" }),
      () => new Response("not json", { status: 200 }),
    ]) {
      const { grant } = grantAnswering(respond);
      expect(await grant(previous)).toEqual({ ok: false, code: "refresh_unavailable" });
    }
  });
});
