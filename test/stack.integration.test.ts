// The stack's front doors refuse anonymous callers.
import { expect, it } from "vitest";
import { stackEnv } from "@stack/testkit/stack-env";

const stack = stackEnv();

it("redirects an anonymous visit to the protected notes page to sign-in", async () => {
  const response = await fetch(`${stack.webUrl}/notes`, { redirect: "manual" });
  expect([302, 303, 307, 308]).toContain(response.status);
  const location = new URL(response.headers.get("location") ?? "", stack.webUrl);
  // Either our sign-in route or Keycloak's authorization endpoint, never the page itself.
  expect(location.pathname).not.toBe("/notes");
  expect(location.href.startsWith(stack.webUrl) || location.href.startsWith(stack.issuer)).toBe(true);
});

it("answers 401 to an unauthenticated GET /api/notes at Strapi", async () => {
  const response = await fetch(`${stack.cmsUrl}/api/notes`);
  expect(response.status).toBe(401);
  // RFC 6750 §3.1: a request without credentials gets the challenge, no error code.
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]+"$/);
  const body = (await response.json()) as { data?: unknown; error?: { status?: number; code?: string } };
  expect(body).toMatchObject({ data: null, error: { status: 401, code: "missing_token" } });
});
