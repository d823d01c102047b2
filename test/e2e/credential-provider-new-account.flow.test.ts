// First sign-in through a provider with an email nobody registered. Whether
// that creates an account depends on whether Keycloak trusts the provider's
// email: Google's is trusted and the person goes straight in; GitHub's is not,
// and an account made from it would be linked to GitHub before anyone proved
// the mailbox (decision record 0045), so the person creates the account by
// mail first and GitHub links to it after the password.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { mockGitHub, mockGoogle, type MockIdentityProvider } from "@stack/runner/keycloak/mock-identity-providers";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import type { MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { onConfirmLinkPage, signInWithProvider, signOutOfApp } from "./support/provider-sign-in.ts";
import { registerThroughApp } from "./support/register-through-app.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;

/** Someone at the provider whose email no app account has; the account their first sign-in creates is deleted afterwards. */
async function newcomer(provider: MockIdentityProvider): Promise<MockProviderAccount> {
  const email = `new-${provider.alias}-${randomUUID().slice(0, 8)}@example.test`;
  journey.forgetEmail(email);
  return journey.newProviderAccount(provider, { email, firstName: "Newt", lastName: "Comer" });
}

it("Google (email trusted): a new account, straight into the app, email confirmed", async () => {
  const admin = journey.admin.client;
  const account = await newcomer(mockGoogle);
  const page = await journey.newPage();
  await signInWithProvider(page, stack, account);
  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Newt Comer");
  const [user] = await admin.users.find({ realm: stack.realm, email: account.email, exact: true });
  expect(user).toMatchObject({ emailVerified: true });
  const links = await admin.users.listFederatedIdentities({ realm: stack.realm, id: user!.id! });
  expect(links.map((link) => link.identityProvider)).toEqual([mockGoogle.alias]);
});

it("GitHub (email not trusted): no account from GitHub; an account created by mail, then GitHub links to it after the password", async () => {
  const admin = journey.admin.client;
  const account = await newcomer(mockGitHub);
  const page = await journey.newPage();
  await signInWithProvider(page, stack, account);
  await expect.poll(() => keycloakMessages(page)).toMatch(/no acme account uses .* yet/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
  expect(await admin.users.find({ realm: stack.realm, email: account.email, exact: true })).toEqual([]);

  const password = `pw-${randomUUID()}`;
  await registerThroughApp(page, stack, inbox, account, password);
  const [user] = await admin.users.find({ realm: stack.realm, email: account.email, exact: true });
  expect(user).toMatchObject({ emailVerified: true });
  expect(await admin.users.listFederatedIdentities({ realm: stack.realm, id: user!.id! })).toEqual([]);
  await signOutOfApp(page, stack);

  // Still signed in at GitHub: the button comes straight back to Keycloak's "Account already exists".
  await page.getByTestId(`sign-in-with-${mockGitHub.alias}`).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/login-actions/`));
  expect(await onConfirmLinkPage(page)).toBe(true);
  await page.locator("#linkAccount").click();
  await page.locator("#password").fill(password);
  await page.locator("#kc-login").click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Newt Comer");
  const links = await admin.users.listFederatedIdentities({ realm: stack.realm, id: user!.id! });
  expect(links.map((link) => link.identityProvider)).toEqual([mockGitHub.alias]);
});
