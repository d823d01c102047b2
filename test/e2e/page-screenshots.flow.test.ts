// Issue #15: the main pages at a desktop and a phone width. Asserts what a
// phone needs (no horizontal scroll) and takes the pictures docs/web-pages.md
// shows: into the test stack's state folder, or, with SCREENSHOTS_DIR=docs/screenshots,
// over the ones in the repository (so a test run leaves the checkout as it was).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { testEnvironment } from "@stack/testkit/stack-env";
import { journeyFixture } from "./support/journey-fixture.ts";
import { addNote } from "./support/notes-page.ts";

const journey = journeyFixture();
const { stack } = journey;
const chosen = testEnvironment().SCREENSHOTS_DIR;
const screenshots = chosen ? resolve(chosen) : join(stack.stateDir, "screenshots");

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 740 },
] as const;

async function capture(page: Page, path: string, name: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(`${stack.webUrl}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways at ${viewport.width} px`).toBe(0);
    await page.screenshot({ path: join(screenshots, `${name}-${viewport.name}.png`), fullPage: true });
  }
}

it("the main pages fit a phone without sideways scrolling, and their screenshots are written", async () => {
  mkdirSync(screenshots, { recursive: true });
  const signedOut = await journey.newPage();
  await capture(signedOut, "/", "home-signed-out");
  await capture(signedOut, "/articles", "articles");

  const user = await journey.newUser("screenshots");
  const page = await journey.newPage();
  await page.goto(`${stack.webUrl}/notes`);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await capture(page, "/notes", "notes-empty");
  await addNote(page, "Groceries");
  await addNote(page, "Ideas for the team offsite");
  await capture(page, "/notes", "notes");
  await capture(page, "/account", "account");
});
