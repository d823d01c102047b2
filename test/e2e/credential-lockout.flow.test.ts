// Issue 3, journey 7: repeated wrong passwords lock the account for a while.
// Keycloak then refuses even the right password, and the Acme theme says why.
// The realm's production limits are used as they are: the lock must come
// within `failureFactor` wrong attempts (sooner when they come faster than
// `quickLoginCheckMilliSeconds` apart, Keycloak's quick-login rule).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { onKeycloakLoginForm, signInThroughKeycloak, submitKeycloakLogin } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let browser: Browser;
let user: DisposableUser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  browser = await launchBrowser();
  user = await admin.createUser("lockout");
});

afterAll(async () => {
  await browser?.close();
  if (user) {
    await admin.client.attackDetection.del({ realm: stack.realm, id: user.id }).catch(() => undefined);
    await admin.deleteUser(user);
  }
});

const lockStatus = async () => (await admin.client.attackDetection.findOne({ realm: stack.realm, id: user.id })) as { disabled: boolean; numFailures: number };

async function loginPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.webUrl}/account`);
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  return page;
}

it("repeated wrong passwords lock the account temporarily, with Keycloak's (Acme-worded) message", async () => {
  const realm = await admin.client.realms.findOne({ realm: stack.realm });
  expect(realm).toMatchObject({ bruteForceProtected: true, permanentLockout: false });
  const failureFactor = realm!.failureFactor!;

  const page = await loginPage();
  let attempts = 0;
  while (!(await lockStatus()).disabled) {
    expect(attempts, "the account was not locked after failureFactor wrong passwords").toBeLessThan(failureFactor);
    attempts += 1;
    await submitKeycloakLogin(page, user.email, `wrong-password-${attempts}`);
    await page.locator("#kc-form-login").waitFor();
  }
  expect(attempts).toBeGreaterThanOrEqual(2);

  // Locked: the right password is refused too, and the page says why.
  await submitKeycloakLogin(page, user.email, user.password);
  await expect.poll(() => keycloakMessages(page)).toMatch(/too many failed sign-in attempts/i);
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
  // Temporary: the user is not disabled, only held back (an admin can release it early).
  expect((await admin.client.users.findOne({ realm: stack.realm, id: user.id }))?.enabled).toBe(true);

  await admin.client.attackDetection.del({ realm: stack.realm, id: user.id });
  const released = await loginPage();
  await signInThroughKeycloak(released, user.email, user.password, `${stack.webUrl}/account`);
  await expect.poll(() => released.getByTestId("account-email").textContent()).toBe(user.email);
});
