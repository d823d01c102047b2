import { describe, expect, it } from "vitest";
import { endSessionUrl } from "./end-session-url";

const endpoint = "http://localhost:8080/realms/app/protocol/openid-connect/logout";

describe("endSessionUrl", () => {
  it("sends id_token_hint and the registered post-logout redirect", () => {
    const url = new URL(endSessionUrl(endpoint, { idToken: "id.token.jwt", clientId: "web", postLogoutRedirectUri: "http://localhost:3000/" }));
    expect(url.origin + url.pathname).toBe(endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({ id_token_hint: "id.token.jwt", post_logout_redirect_uri: "http://localhost:3000/" });
  });

  it("falls back to client_id without an ID token (Keycloak then asks to confirm)", () => {
    const url = new URL(endSessionUrl(endpoint, { idToken: null, clientId: "web", postLogoutRedirectUri: "http://localhost:3000/" }));
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: "web", post_logout_redirect_uri: "http://localhost:3000/" });
  });
});
