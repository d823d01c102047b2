// First sign-in through a provider with an email nobody registered: a new
// account. Whether its email counts as confirmed depends on the provider
// (DESIGN decision 10): Google's is trusted and the person goes straight in;
// GitHub's is not, so Keycloak confirms it by mail first.
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdminClient, type AdminClient } from "../../infra/src/keycloak/admin-client.ts";
import { mockGitHub, mockGoogle } from "../../infra/src/keycloak/mock-identity-providers.ts";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { MailInbox } from "../../infra/src/testing/mail-inbox.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { followMailLink } from "./support/mail-link.ts";
import { createMockProviderAccount, type MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { signInWithProvider } from "./support/provider-sign-in.ts";

let stack: StackEnv;
let admin: AdminClient;
let browser: Browser;
let inbox: MailInbox;
const upstream: MockProviderAccount[] = [];

beforeAll(async () => {
  stack = stackEnv();
  admin = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword, realm: stack.realm });
  browser = await launchBrowser();
  inbox = new MailInbox(stack.mailUrl);
});

afterAll(async () => {
  await browser?.close();
  for (const account of upstream) {
    await account.remove();
    for (const user of await admin.users.find({ realm: stack.realm, email: account.email, exact: true })) await admin.users.del({ realm: stack.realm, id: user.id! });
  }
});

async function newcomer(provider: typeof mockGoogle): Promise<MockProviderAccount> {
  const account = await createMockProviderAccount(admin, provider, {
    email: `new-${provider.alias}-${randomUUID().slice(0, 8)}@example.test`,
    firstName: "Newt",
    lastName: "Comer",
  });
  upstream.push(account);
  return account;
}

it("Google (email trusted): a new account, straight into the app, email confirmed", async () => {
  const account = await newcomer(mockGoogle);
  const page = await (await browser.newContext()).newPage();
  await signInWithProvider(page, stack, account);
  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Newt Comer");
  const [user] = await admin.users.find({ realm: stack.realm, email: account.email, exact: true });
  expect(user).toMatchObject({ emailVerified: true });
  const links = await admin.users.listFederatedIdentities({ realm: stack.realm, id: user!.id! });
  expect(links.map((link) => link.identityProvider)).toEqual([mockGoogle.alias]);
});

it("GitHub (email not trusted): a new account that must confirm its email before entering the app", async () => {
  const account = await newcomer(mockGitHub);
  const page = await (await browser.newContext()).newPage();
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
