// apps/cms/openapi.yaml against the running API: every documented operation,
// called without credentials and with a person's token that carries none of the
// API's scopes, answers a status the document lists, with the challenge it
// describes (RFC 6750 §3.1); the routes outside the core routers exist.
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { documentedOperations, readOpenApiDocument } from "./support/openapi-document.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const operations = documentedOperations(readOpenApiDocument());
const MOBILE_REDIRECT = "http://127.0.0.1:49152/oauth/callback";
// A document that does not exist: the scope is checked before the lookup.
const apiPath = (path: string) => `/api${path.replace("{documentId}", "no-such-document")}`;
const bodyFor = (method: string) => (method === "POST" || method === "PUT" ? { data: { title: "OpenAPI check" } } : undefined);
let unscopedToken: string;

beforeAll(async () => {
  const user = await fixture.newUser("openapi");
  // The mobile client asked for no API scope: the role allows notes, the token opens none.
  unscopedToken = (await tokensFor(stack, user.email, user.password, { clientId: "mobile", clientSecret: "", redirectUri: MOBILE_REDIRECT, scope: "openid" })).access_token;
});

describe("every documented operation", () => {
  it.each(operations.filter((operation) => operation.security.some((requirement) => "bearer" in requirement)).map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s without credentials answers as documented",
    async (_name, operation) => {
      const response = await callCms(stack, apiPath(operation.path), { method: operation.method, body: bodyFor(operation.method) });
      if (operation.anonymous) {
        expect(operation.responses).toContain(String(response.status));
        expect(response.status).toBeLessThan(500);
        return;
      }
      expect(response.status).toBe(401);
      expect(operation.responses).toContain("401");
      expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="cms"`);
      expect(response.json.error.code).toBe("missing_token");
    },
  );

  it.each(operations.filter((operation) => operation.scope).map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s with a token lacking its scope is 403, insufficient_scope naming it where the role allows the action",
    async (_name, operation) => {
      const response = await callCms(stack, apiPath(operation.path), { method: operation.method, token: unscopedToken, body: bodyFor(operation.method) });
      expect(response.status).toBe(403);
      expect(operation.responses).toContain("403");
      // People have the user role: notes are theirs, articles are not (a plain 403).
      if (operation.scope?.startsWith("notes:")) expect(response.headers.get("www-authenticate")).toBe(`Bearer error="insufficient_scope", scope="${operation.scope}"`);
      else expect(response.headers.get("www-authenticate")).toBeNull();
    },
  );

  it("the routes outside the core routers exist and answer as documented", async () => {
    const status = async (method: string, path: string, token?: string) => {
      const response = await callCms(stack, `/api${path}`, { method, token });
      const operation = operations.find((candidate) => candidate.method === method && candidate.path === path)!;
      expect(operation.responses, `${method} ${path}`).toContain(String(response.status));
      return response;
    };
    expect((await status("GET", "/users/me", unscopedToken)).status).toBe(200);
    expect((await status("GET", "/ssf/health")).status).toBe(200);
    const push = await status("POST", "/ssf/events");
    expect(push.status).toBe(400);
    expect(push.json.err).toBe("authentication_failed");
  });
});
