// Walking skeleton, end to end: a person signs in on Keycloak's hosted page,
// lands in the web app, and sees the notes Strapi served for them, and only them.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { tokensFor } from "../../infra/src/testing/keycloak-tokens.ts";
import { stackEnv } from "../../infra/src/testing/stack-env.ts";

const stack = stackEnv();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function createNote(email: string, password: string, title: string): Promise<void> {
  const { access_token } = await tokensFor(stack, email, password);
  const response = await fetch(`${stack.cmsUrl}/api/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title, body: `written by ${email}` } }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

it("signs in as a demo user on Keycloak's page and shows that user's name and notes from Strapi", async () => {
  const run = Date.now().toString(36);
  const aliceTitle = `Alice's note ${run}`;
  const bobTitle = `Bob's note ${run}`;
  await createNote("alice@example.com", "alice-demo-password", aliceTitle);
  await createNote("bob@example.com", "bob-demo-password", bobTitle);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.webUrl}/`);
  await page.getByTestId("home-sign-in").click();

  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await page.locator("#username").fill("alice@example.com");
  await page.locator("#password").fill("alice-demo-password");
  await page.locator("#kc-login").click();

  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Liddell");
  const titles = await page.getByTestId("note-title").allTextContents();
  expect(titles).toContain(aliceTitle);
  expect(titles).not.toContain(bobTitle);
  await context.close();
});
