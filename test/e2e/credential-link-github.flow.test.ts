// Issue 3, journey 4: the same as journey 3 with GitHub (the mock), whose
// email Keycloak does not trust. Claiming an existing account's email through
// it links nothing until the existing account is proven: a wrong password
// links nothing, the right one links GitHub to that account.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { mockGitHub } from "@stack/runner/keycloak/mock-identity-providers";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { onConfirmLinkPage, signInWithProvider } from "./support/provider-sign-in.ts";
import { registerWithNote } from "./support/register-with-note.ts";
import { strapiViewOf } from "./support/strapi-user.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;
const email = `link-github-${randomUUID().slice(0, 8)}@example.test`;
journey.forgetEmail(email);

it("register with X, then GitHub with X: linking needs the existing account's password; a wrong one links nothing", async () => {
  const admin = journey.admin.client;
  const page = await journey.newPage();
  const { password, noteTitle: title, strapi: before } = await registerWithNote(page, stack, inbox, { email, firstName: "Hugo", lastName: "Linked" });

  const upstream = await journey.newProviderAccount(mockGitHub, { email, firstName: "Hugo", lastName: "GitHub" });
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
