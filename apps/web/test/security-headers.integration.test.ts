// Every response of the web app carries the security headers: pages, route
// handlers, the proxy's redirects, next-auth's endpoints, errors, 404s and
// static files. The test stack serves plain http on localhost, so no HSTS
// (the https case is the unit test of security-headers.ts).
import { expect, it } from "vitest";
import { stackEnv } from "@stack/testkit/stack-env";

const stack = stackEnv();

function expectSecurityHeaders(response: Response, what: string): void {
  expect(response.headers.get("content-security-policy"), what).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("strict-transport-security"), what).toBeNull();
}

it("pages, redirects, route handlers, next-auth, errors, 404s and static files all carry them", async () => {
  const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, stack.webUrl), { redirect: "manual", ...init });
  const home = await get("/");
  expect(home.status).toBe(200);
  const html = await home.text();
  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script, "the home page loads a static script").toBeDefined();

  const cases: [string, Response, number][] = [
    ["home page", home, 200],
    ["protected page, anonymous (the proxy's redirect)", await get("/notes"), 307],
    ["sign-in route (redirect to Keycloak)", await get("/sign-in"), 303],
    ["health route", await get("/api/health"), 200],
    ["next-auth csrf", await get("/api/auth/csrf"), 200],
    ["next-auth session", await get("/api/auth/session"), 200],
    ["next-auth signout GET (not routed)", await get("/api/auth/signout"), 404],
    ["unknown page", await get("/no-such-page"), 404],
    [
      "back-channel logout, bad token",
      await get("/api/auth/backchannel-logout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ logout_token: "x" }),
      }),
      400,
    ],
    ["static script", await get(script!), 200],
  ];
  for (const [what, response, status] of cases) {
    expect(response.status, what).toBe(status);
    expectSecurityHeaders(response, what);
  }
});

it("next-auth's cookies are HttpOnly and SameSite=Lax (no __Host- prefix over plain http)", async () => {
  const response = await fetch(new URL("/api/auth/csrf", stack.webUrl));
  const cookies = response.headers.getSetCookie();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect(cookie).toMatch(/^authjs\./);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
  }
});
