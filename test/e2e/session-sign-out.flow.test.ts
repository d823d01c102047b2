// Issue 5: signing out ends the web session and the Keycloak session. The next
// "Sign in" shows Keycloak's login form (no silent SSO), and the old session
// cookie, replayed, opens nothing.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { onKeycloakLoginForm, signInThroughKeycloak } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let user: DisposableUser;
let browser: Browser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  user = await admin.createUser("sign-out-flow");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await admin?.deleteUser(user);
});

it("sign-out ends both sessions: the next sign-in asks for credentials, the old cookie opens nothing", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.webUrl);
  await page.getByTestId("home-sign-in").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(user.name);
  const cookiesWhileSignedIn = await context.cookies(stack.webUrl);

  await page.getByTestId("sign-out").click();
  await page.waitForURL(`${stack.webUrl}/`);
  await expect.poll(() => page.getByTestId("sign-in").isVisible()).toBe(true);
  expect(await page.getByTestId("signed-in-as").count()).toBe(0);
  expect(await admin.client.users.listSessions({ realm: stack.realm, id: user.id })).toEqual([]);

  await page.getByTestId("sign-in").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);

  // Someone who copied the cookie before sign-out gets nothing with it.
  const replay = await browser.newContext();
  await replay.addCookies(cookiesWhileSignedIn);
  const replayPage = await replay.newPage();
  await replayPage.goto(`${stack.webUrl}/notes`);
  await replayPage.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(replayPage, stack.issuer)).toBe(true);
});
