// Issue 5: with a short access-token lifetime, a signed-in user keeps working
// across several expiries — every page view and server action after an expiry
// is served with refreshed tokens, and nobody is sent back to sign in.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const EXPIRIES = 3;
const journey = journeyFixture();
const { stack } = journey;
let lifetimeSeconds: number;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ lifetimeSeconds, restore: restoreLifetime } = await journey.admin.shortAccessTokens(30, 10));
});

afterAll(async () => {
  await restoreLifetime();
});

async function addNote(page: Page, title: string): Promise<void> {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Body").fill(`written at ${new Date().toISOString()}`);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect.poll(() => page.getByTestId("note-title").allTextContents()).toContain(title);
}

it(`keeps a signed-in user working across ${EXPIRIES} access-token expiries`, async () => {
  const { admin } = journey;
  const user = await journey.newUser("refresh-flow");
  const since = Date.now();
  const page = await journey.newPage();
  await page.goto(`${stack.webUrl}/notes`);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await addNote(page, "before any expiry");

  for (let round = 1; round <= EXPIRIES; round += 1) {
    // Let the access token expire: the arrangement, not a timing assertion.
    await page.waitForTimeout(lifetimeSeconds * 1000 + 1_500);
    // Alternate a client-side navigation (RSC request) and a full page load.
    if (round % 2 === 1) {
      await page.getByRole("link", { name: "Account" }).click();
      await page.waitForURL(`${stack.webUrl}/account`);
      await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
      await page.getByRole("link", { name: "Notes" }).click();
      await page.waitForURL(`${stack.webUrl}/notes`);
    } else {
      await page.reload();
    }
    expect(page.url()).toBe(`${stack.webUrl}/notes`);
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe(user.name);
    await addNote(page, `after expiry ${round}`);
  }

  expect(await page.getByTestId("note-title").allTextContents()).toEqual(
    expect.arrayContaining(["before any expiry", ...Array.from({ length: EXPIRIES }, (_, i) => `after expiry ${i + 1}`)]),
  );
  expect(await admin.countEvents(user, since, "REFRESH_TOKEN")).toBeGreaterThanOrEqual(EXPIRIES);
  expect(await admin.countEvents(user, since, "REFRESH_TOKEN_ERROR")).toBe(0);
});
