// Issue 3, journey 6: "Change password" on the account page goes through
// Keycloak's application-initiated action (kc_action=UPDATE_PASSWORD). With
// "sign out on my other devices" (ticked by default in the Acme theme),
// Keycloak ends the person's other sessions and tells the web app through
// back-channel logout: a second browser signed in as the same person is
// signed out on its next request; the browser that changed the password is not.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { onKeycloakLoginForm, signInThroughKeycloak } from "../../infra/src/testing/keycloak-login-page.ts";
import { KeycloakLoginError, tokensFor } from "../../infra/src/testing/keycloak-tokens.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { chooseNewPassword } from "./support/password-page.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let browser: Browser;
let user: DisposableUser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  browser = await launchBrowser();
  user = await admin.createUser("change-password");
});

afterAll(async () => {
  await browser?.close();
  if (user) await admin.deleteUser(user);
});

async function signedInOnAccountPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.webUrl}/account`);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
  return page;
}

it("change password with 'sign out other devices': the other browser is signed out on its next request", async () => {
  const laptop = await signedInOnAccountPage();
  const phone = await signedInOnAccountPage();
  expect(await admin.client.users.listSessions({ realm: stack.realm, id: user.id })).toHaveLength(2);

  await laptop.getByTestId("change-password").click();
  await laptop.locator("#kc-passwd-update-form").waitFor();
  expect(await laptop.locator("#logout-sessions").isChecked()).toBe(true);
  const newPassword = `pw-${randomUUID()}`;
  await chooseNewPassword(laptop, newPassword);
  await laptop.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => laptop.getByTestId("account-email").textContent()).toBe(user.email);

  // Keycloak kept only the session that changed the password.
  await expect.poll(async () => (await admin.client.users.listSessions({ realm: stack.realm, id: user.id })).length).toBe(1);

  // The other browser's next navigation finds its web session gone.
  await phone.getByRole("link", { name: "Notes" }).click();
  await phone.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(phone, stack.issuer)).toBe(true);

  // The browser that changed it carries on, and only the new password works.
  await laptop.getByRole("link", { name: "Notes" }).click();
  await laptop.waitForURL(`${stack.webUrl}/notes`);
  const old = await tokensFor(stack, user.email, user.password).catch((error: unknown) => error);
  expect((old as KeycloakLoginError).code).toBe("ERR_LOGIN_REJECTED");
  await expect(tokensFor(stack, user.email, newPassword)).resolves.toMatchObject({ token_type: "Bearer" });
});
