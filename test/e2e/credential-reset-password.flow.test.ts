// Issue 3, journey 2: "Forgot password?" on Keycloak's page → the reset mail →
// a new password → signed in to the app (Keycloak's default for accounts that
// are not federated). The old password stops working and the link is single-use.
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { KeycloakLoginError, tokensFor } from "../../infra/src/testing/keycloak-tokens.ts";
import { MailInbox } from "../../infra/src/testing/mail-inbox.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { followMailLink } from "./support/mail-link.ts";
import { chooseNewPassword, onPasswordPage } from "./support/password-page.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let browser: Browser;
let inbox: MailInbox;
let user: DisposableUser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  browser = await launchBrowser();
  inbox = new MailInbox(stack.mailUrl);
  user = await admin.createUser("reset-password");
});

afterAll(async () => {
  await browser?.close();
  if (user) await admin.deleteUser(user);
});

it("forgot password → email → new password → signed in; the old password fails; the link does not work twice", async () => {
  const newPassword = `pw-${randomUUID()}`;
  const page = await (await browser.newContext()).newPage();

  await page.goto(`${stack.webUrl}/notes`);
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await page.locator("a[href*='/login-actions/reset-credentials']").click();
  await page.locator("#kc-reset-password-form").waitFor();
  const asked = new Date();
  await page.locator("#username").fill(user.email);
  await page.locator("#kc-reset-password-form [type=submit]").click();
  await expect.poll(() => keycloakMessages(page)).toMatch(/you should receive an email/i);

  const link = await followMailLink(page, { inbox, to: user.email, subject: /reset password/i, since: asked });
  await chooseNewPassword(page, newPassword);
  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe(user.name);

  const oldPassword = await tokensFor(stack, user.email, user.password).catch((error: unknown) => error);
  expect(oldPassword).toBeInstanceOf(KeycloakLoginError);
  expect((oldPassword as KeycloakLoginError).code).toBe("ERR_LOGIN_REJECTED");
  await expect(tokensFor(stack, user.email, newPassword)).resolves.toMatchObject({ token_type: "Bearer" });

  // The same link again, in a fresh browser: Keycloak refuses it.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.waitForLoadState("load");
  expect(await onPasswordPage(again)).toBe(false);
  expect(await keycloakMessages(again)).toMatch(/expired|no longer valid|invalid/i);
  expect(again.url().startsWith(stack.webUrl)).toBe(false);
});
