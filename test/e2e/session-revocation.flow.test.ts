// Issue 5: sessions ended in Keycloak end in the web app. Keycloak's
// back-channel logout deletes the stored session, so the browser's next
// navigation lands on sign-in instead of a page whose API calls would fail.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { onKeycloakLoginForm, signInThroughKeycloak, submitKeycloakLogin } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let browser: Browser;
let user: DisposableUser;
let page: Page;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  user = await admin.createUser("revocation-flow");
  page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.webUrl}/account`);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
});

afterEach(async () => {
  await page.context().close();
  await admin.deleteUser(user);
});

async function nextNavigationLandsOnSignIn(): Promise<void> {
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
}

it("an admin signs the user out in Keycloak: the next navigation lands on sign-in", async () => {
  await admin.logoutUser(user);
  await nextNavigationLandsOnSignIn();
});

it("the user is disabled (which also ends the user's sessions): the next navigation lands on sign-in, and sign-in is refused", async () => {
  await admin.disableUser(user);
  await nextNavigationLandsOnSignIn();
  await submitKeycloakLogin(page, user.email, user.password);
  await expect.poll(() => page.locator("#input-error, .pf-v5-c-alert, .alert-error, [class*=alert]").first().textContent()).toMatch(/disabled/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
});

it("a form submitted after the session ended leads to sign-in and writes nothing", async () => {
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await admin.logoutUser(user);
  await page.getByLabel("Title").fill("written after logout");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe(user.name);
  expect(await page.getByTestId("note-title").allTextContents()).not.toContain("written after logout");
});
