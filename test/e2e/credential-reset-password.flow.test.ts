// Issue 3, journey 2: "Forgot password?" on Keycloak's page → the reset mail →
// a new password → signed in to the app (Keycloak's default for accounts that
// are not federated). The old password stops working and the link is single-use.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { KeycloakLoginError, tokensFor } from "@stack/testkit/keycloak-tokens";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { followMailLink } from "./support/mail-link.ts";
import { chooseNewPassword, onPasswordPage } from "./support/password-page.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;

it("forgot password → email → new password → signed in; the old password fails; the link does not work twice", async () => {
  const user = await journey.newUser("reset-password");
  const newPassword = `pw-${randomUUID()}`;
  const page = await journey.newPage();

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
  const again = await journey.newPage();
  await again.goto(link);
  await again.waitForLoadState("load");
  expect(await onPasswordPage(again)).toBe(false);
  expect(await keycloakMessages(again)).toMatch(/expired|no longer valid|invalid/i);
  expect(again.url().startsWith(stack.webUrl)).toBe(false);
});
