// Issue 3, journey 3: someone registered with email X signs in later with
// Google (the mock; email trusted) carrying the same X. Keycloak does not make
// a second account and does not link silently: the person confirms the link
// and signs in to the existing account once; then it is one account with a
// linked identity, and the same Strapi user with the same notes.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { mockGoogle } from "@stack/runner/keycloak/mock-identity-providers";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { onConfirmLinkPage, signInWithProvider, signOutOfApp } from "./support/provider-sign-in.ts";
import { registerWithNote } from "./support/register-with-note.ts";
import { strapiViewOf } from "./support/strapi-user.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;
const email = `link-google-${randomUUID().slice(0, 8)}@example.test`;
journey.forgetEmail(email);

it("register with X, then Google with X → confirm and re-authenticate → one account, Google linked, same Strapi user and notes", async () => {
  const admin = journey.admin.client;
  const page = await journey.newPage();
  const { password, noteTitle: title, strapi: before } = await registerWithNote(page, stack, inbox, { email, firstName: "Gina", lastName: "Linked" });

  const upstream = await journey.newProviderAccount(mockGoogle, { email, firstName: "Gina", lastName: "Google" });
  await signInWithProvider(page, stack, upstream);

  // Keycloak recognises the email and asks; nothing is linked yet.
  expect(await onConfirmLinkPage(page)).toBe(true);
  expect(await keycloakMessages(page)).toContain(email);
  const [account] = await admin.users.find({ realm: stack.realm, email, exact: true });
  expect(await admin.users.listFederatedIdentities({ realm: stack.realm, id: account!.id! })).toEqual([]);
  await page.locator("#linkAccount").click();

  // Proof of the existing account: its password, with the email filled in.
  await expect.poll(() => keycloakMessages(page)).toContain("Authenticate to link your account with Google (mock)");
  expect(await page.locator("#username").inputValue()).toBe(email);
  await page.locator("#password").fill(password);
  await page.locator("#kc-login").click();

  await page.waitForURL(`${stack.webUrl}/notes`);
  expect(await page.getByTestId("note-title").allTextContents()).toContain(title);

  const users = await admin.users.find({ realm: stack.realm, email, exact: true });
  expect(users.map((user) => user.id)).toEqual([account!.id]);
  const links = await admin.users.listFederatedIdentities({ realm: stack.realm, id: account!.id! });
  expect(links.map((link) => [link.identityProvider, link.userName])).toEqual([[mockGoogle.alias, email]]);

  const after = await strapiViewOf(stack, email, password);
  expect(after.user.id).toBe(before.user.id);
  expect(after.noteTitles).toEqual(before.noteTitles);

  // Linked: the next Google sign-in goes straight in, no questions.
  await signOutOfApp(page, stack);
  await page.getByTestId(`sign-in-with-${mockGoogle.alias}`).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  expect(await page.getByTestId("note-title").allTextContents()).toContain(title);
});
