// Issue 3, journey 4: the same as journey 3 with GitHub (the mock), whose
// email Keycloak does not trust. Claiming an existing account's email through
// it links nothing until the existing account is proven: a wrong password
// links nothing, the right one links GitHub to that account.
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdminClient, type AdminClient } from "../../infra/src/keycloak/admin-client.ts";
import { mockGitHub } from "../../infra/src/keycloak/mock-identity-providers.ts";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { MailInbox } from "../../infra/src/testing/mail-inbox.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { createMockProviderAccount, type MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { addNote } from "./support/notes-page.ts";
import { onConfirmLinkPage, signInWithProvider, signOutOfApp } from "./support/provider-sign-in.ts";
import { registerThroughApp } from "./support/register-through-app.ts";
import { strapiViewOf } from "./support/strapi-user.ts";

let stack: StackEnv;
let admin: AdminClient;
let browser: Browser;
let inbox: MailInbox;
let upstream: MockProviderAccount | undefined;
const email = `link-github-${randomUUID().slice(0, 8)}@example.test`;

beforeAll(async () => {
  stack = stackEnv();
  admin = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword, realm: stack.realm });
  browser = await launchBrowser();
  inbox = new MailInbox(stack.mailUrl);
});

afterAll(async () => {
  await browser?.close();
  await upstream?.remove();
  for (const user of await admin.users.find({ realm: stack.realm, email, exact: true })) await admin.users.del({ realm: stack.realm, id: user.id! });
});

it("register with X, then GitHub with X: linking needs the existing account's password; a wrong one links nothing", async () => {
  const password = `pw-${randomUUID()}`;
  const page = await (await browser.newContext()).newPage();
  await registerThroughApp(page, stack, inbox, { email, firstName: "Hugo", lastName: "Linked" }, password);
  const title = `before linking ${randomUUID().slice(0, 6)}`;
  await addNote(page, title);
  const before = await strapiViewOf(stack, email, password);
  await signOutOfApp(page, stack);

  upstream = await createMockProviderAccount(admin, mockGitHub, { email, firstName: "Hugo", lastName: "GitHub" });
  await signInWithProvider(page, stack, upstream);
  expect(await onConfirmLinkPage(page)).toBe(true);
  await page.locator("#linkAccount").click();
  await expect.poll(() => keycloakMessages(page)).toContain("Authenticate to link your account with GitHub (mock)");

  const [account] = await admin.users.find({ realm: stack.realm, email, exact: true });
  await page.locator("#password").fill("not-the-password-of-this-account");
  await page.locator("#kc-login").click();
  await expect.poll(() => keycloakMessages(page)).toMatch(/invalid username or password/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);
  expect(await admin.users.listFederatedIdentities({ realm: stack.realm, id: account!.id! })).toEqual([]);

  await page.locator("#password").fill(password);
  await page.locator("#kc-login").click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  expect(await page.getByTestId("note-title").allTextContents()).toContain(title);

  expect((await admin.users.find({ realm: stack.realm, email, exact: true })).map((user) => user.id)).toEqual([account!.id]);
  const links = await admin.users.listFederatedIdentities({ realm: stack.realm, id: account!.id! });
  expect(links.map((link) => link.identityProvider)).toEqual([mockGitHub.alias]);
  const after = await strapiViewOf(stack, email, password);
  expect(after.user.id).toBe(before.user.id);
  expect(after.noteTitles).toEqual(before.noteTitles);
});
