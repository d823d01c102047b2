// Every page and route that takes a return address (`returnTo`, next-auth's
// `callbackUrl`) gets a corpus of open-redirect payloads: none answers 5xx,
// and every address the app hands back (a link, the sign-in's landing page)
// stays a path on the app's own origin.
import { describe, expect, it } from "vitest";
import { openRedirectPayloads } from "@stack/testkit/open-redirect-payloads";
import { stackEnv } from "@stack/testkit/stack-env";

const stack = stackEnv();
const payloads = openRedirectPayloads(stack.webUrl);
const PAGE_LOAD = { "sec-fetch-dest": "document" };

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, stack.webUrl), { redirect: "manual", headers });
const query = (name: string, value: string) => `?${new URLSearchParams({ [name]: value })}`;

function expectOnOrigin(address: string, what: string): void {
  const url = new URL(address, stack.webUrl);
  expect(url.origin, what).toBe(stack.webUrl);
  expect(url.pathname.startsWith("//"), what).toBe(false);
}

describe("hostile return addresses", () => {
  it("/sign-in-unavailable renders its Try again link on the origin, never a 5xx (http:[::…] was a 500)", async () => {
    for (const payload of payloads) {
      const response = await get(`/sign-in-unavailable${query("returnTo", payload)}`);
      const what = `returnTo=${JSON.stringify(payload)}`;
      expect(response.status, what).toBe(200);
      const href = /data-testid="try-again"[^>]*href="([^"]*)"|href="([^"]*)"[^>]*data-testid="try-again"/.exec(await response.text());
      const link = (href?.[1] ?? href?.[2])?.replaceAll("&amp;", "&");
      expect(link, what).toBeDefined();
      expectOnOrigin(link!, what);
    }
  });

  it("/sign-in sends every payload to Keycloak with a landing page on the origin, never a 5xx", async () => {
    for (const payload of payloads) {
      const response = await get(`/sign-in${query("returnTo", payload)}`, PAGE_LOAD);
      const what = `returnTo=${JSON.stringify(payload)}`;
      expect(response.status, what).toBe(303);
      expect(response.headers.get("location"), what).toMatch(/\/protocol\/openid-connect\/auth\?/);
      // next-auth keeps the landing page in its callback-url cookie until the callback.
      const landing = response.headers
        .getSetCookie()
        .map((cookie) => /^(?:__Host-)?authjs\.callback-url=([^;]*)/.exec(cookie)?.[1])
        .find((value) => value !== undefined);
      expect(landing, what).toBeDefined();
      expectOnOrigin(decodeURIComponent(landing!), what);
    }
  });

  it("next-auth's endpoints and the other pages never answer 5xx", async () => {
    for (const payload of payloads) {
      const what = JSON.stringify(payload);
      for (const path of [
        `/api/auth/signin${query("callbackUrl", payload)}`,
        `/api/auth/signin/keycloak${query("callbackUrl", payload)}`,
        `/api/auth/error${query("error", payload)}`,
        `/auth-error${query("error", payload)}`,
        `/session-ended${query("reason", payload)}`,
        `/${query("returnTo", payload)}`,
        `/notes${query("returnTo", payload)}`,
      ]) {
        const response = await get(path, PAGE_LOAD);
        expect(response.status, `${path} (${what})`).toBeLessThan(500);
        const location = response.headers.get("location");
        if (location && !location.startsWith(stack.keycloakUrl)) expectOnOrigin(location, `${path} → ${location}`);
      }
    }
  });
});
