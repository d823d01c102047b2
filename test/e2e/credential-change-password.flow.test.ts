// Issue 3, journey 6: "Change password" on the account page goes through
// Keycloak's application-initiated action (kc_action=UPDATE_PASSWORD). With
// "sign out on my other devices" (ticked by default in the Acme theme),
// Keycloak ends the person's other sessions and tells the web app through
// back-channel logout: a second browser signed in as the same person is
// signed out on its next request; the browser that changed the password is not.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { onKeycloakLoginForm } from "@stack/testkit/keycloak-login-page";
import { KeycloakLoginError, tokensFor } from "@stack/testkit/keycloak-tokens";
import { journeyFixture } from "./support/journey-fixture.ts";
import { chooseNewPassword } from "./support/password-page.ts";

const journey = journeyFixture();
const { stack } = journey;

it("change password with 'sign out other devices': the other browser is signed out on its next request", async () => {
  const { admin } = journey;
  const user = await journey.newUser("change-password");
  const laptop = await journey.signedInOnAccountPage(user);
  const phone = await journey.signedInOnAccountPage(user);
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
