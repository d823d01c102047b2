// First sign-in through a provider with an email nobody registered: a new
// account. Whether its email counts as confirmed depends on the provider
// (DESIGN decision 10): Google's is trusted and the person goes straight in;
// GitHub's is not, so Keycloak confirms it by mail first.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { mockGitHub, mockGoogle, type MockIdentityProvider } from "../../infra/src/keycloak/mock-identity-providers.ts";
import { journeyFixture } from "./support/journey-fixture.ts";
import { followMailLink } from "./support/mail-link.ts";
import type { MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { signInWithProvider } from "./support/provider-sign-in.ts";

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

it("GitHub (email not trusted): a new account that must confirm its email before entering the app", async () => {
  const admin = journey.admin.client;
  const account = await newcomer(mockGitHub);
  const page = await journey.newPage();
  const started = new Date();
  await signInWithProvider(page, stack, account);
  await expect.poll(() => page.locator("#kc-page-title").textContent()).toMatch(/email verification/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
  const [user] = await admin.users.find({ realm: stack.realm, email: account.email, exact: true });
  expect(user).toMatchObject({ emailVerified: false });

  await followMailLink(page, { inbox, to: account.email, subject: /verify email/i, since: started });
  await page.waitForURL(`${stack.webUrl}/notes`);
  expect((await admin.users.findOne({ realm: stack.realm, id: user!.id! }))?.emailVerified).toBe(true);
});
