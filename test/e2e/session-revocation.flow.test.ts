// Issue 5: sessions ended in Keycloak end in the web app. Keycloak's
// back-channel logout deletes the stored session, so the browser's next
// navigation lands on sign-in instead of a page whose API calls would fail.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { onKeycloakLoginForm, signInThroughKeycloak, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
let user: DisposableUser;
let page: Page;

beforeEach(async () => {
  user = await journey.newUser("revocation-flow");
  page = await journey.signedInOnAccountPage(user);
});

afterEach(async () => {
  await page.context().close();
});

async function nextNavigationLandsOnSignIn(): Promise<void> {
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
}

it("an admin signs the user out in Keycloak: the next navigation lands on sign-in", async () => {
  await journey.admin.logoutUser(user);
  await nextNavigationLandsOnSignIn();
});

it("the user is disabled (which also ends the user's sessions): the next navigation lands on sign-in, and sign-in is refused", async () => {
  await journey.admin.disableUser(user);
  await nextNavigationLandsOnSignIn();
  await submitKeycloakLogin(page, user.email, user.password);
  await expect.poll(() => page.locator("#input-error, .pf-v5-c-alert, .alert-error, [class*=alert]").first().textContent()).toMatch(/disabled/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
});

it("a form submitted after the session ended leads to sign-in and writes nothing", async () => {
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  // The tab has not yet noticed the end by itself (its session probe moves an
  // idle tab to the signed-out page: session-tabs.flow.test.ts); here the form
  // goes first.
  await page.route("**/api/auth/session", (route) => route.abort());
  await journey.admin.logoutUser(user);
  await page.getByLabel("Title").fill("written after logout");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe(user.name);
  expect(await page.getByTestId("note-title").allTextContents()).not.toContain("written after logout");
});
