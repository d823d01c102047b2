// The stack's front doors refuse anonymous callers.
import { expect, it } from "vitest";
import { stackEnv } from "../infra/src/testing/stack-env.ts";

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
  const body = (await response.json()) as { error?: { code?: string } ; code?: string };
  expect(JSON.stringify(body)).toMatch(/code/);
});
