// Leaving (issue 15): a person deletes their own account from the account page
// through Keycloak's own delete_account action, or an admin deletes them in
// Keycloak. Either way the browser's session ends at once (our extension ends
// the user's sessions with back-channel logout just before Keycloak removes
// the user), and Strapi erases the person's notes and user row, keeping their
// articles without author (docs/decisions/0110-erasure-on-account-deletion.md).
// Strapi's HTTP API cannot show the rows: the test reads them (testkit cms-rows).
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { cmsRows } from "@stack/testkit/cms-rows";
import { onKeycloakLoginForm, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { addNote } from "./support/notes-page.ts";

const journey = journeyFixture();
const { stack } = journey;
const rows = cmsRows(stack);
const ERASURE_DEADLINE_MS = 15_000;

/** A signed-in editor with two notes added on the notes page and one article (through the API). */
async function personWithData(label: string): Promise<{ user: DisposableUser; page: Page; notes: string[]; article: string }> {
  const user = await journey.newUser(label);
  const editor = await journey.admin.client.roles.findOneByName({ realm: stack.realm, name: "editor" });
  await journey.admin.client.users.addRealmRoleMappings({ realm: stack.realm, id: user.id, roles: [{ id: editor!.id!, name: "editor" }] });
  const page = await journey.signedInOnAccountPage(user);
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await addNote(page, `${label} first`);
  await addNote(page, `${label} second`);
  const token = (await tokensFor(stack, user.email, user.password)).access_token;
  const response = await fetch(`${stack.cmsUrl}/api/articles`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title: `${label} article`, body: "text" } }),
  });
  expect(response.status).toBe(201);
  const article = ((await response.json()) as { data: { documentId: string } }).data.documentId;
  const notes = rows.noteIdsOf(user.id);
  expect(notes).toHaveLength(2);
  return { user, page, notes, article };
}

/** Strapi has erased the person (user row, notes) and kept the article without author. */
async function erased(user: DisposableUser, notes: string[], article: string): Promise<void> {
  await expect.poll(() => rows.users(user.id), { timeout: ERASURE_DEADLINE_MS, interval: 250 }).toBe(0);
  expect(rows.notes(notes)).toBe(0);
  const authors = rows.articleAuthors(article);
  expect(authors.length).toBeGreaterThan(0);
  expect(authors.every((row) => row.author === null)).toBe(true);
}

/** Keycloak asks for the password again (username known) when the sign-in is not recent enough for the action. */
async function reauthenticateIfAsked(page: Page, user: DisposableUser): Promise<void> {
  const confirm = page.getByRole("button", { name: "Confirm" });
  const password = page.locator("#password");
  await confirm.or(password).first().waitFor();
  if (!(await password.isVisible())) return;
  await password.fill(user.password);
  await page.locator("#kc-login").click();
}

/** The browser's next navigation in the app lands on Keycloak's sign-in form: the web session has ended. */
async function nextNavigationLandsOnSignIn(page: Page): Promise<void> {
  await page.goto(`${stack.webUrl}/notes`);
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
}

it("a person deletes their own account: Keycloak asks to confirm, the session ends, their notes and API user are erased, their article stays without author", async () => {
  const { user, page, notes, article } = await personWithData("delete-self");
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByTestId("delete-account").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await reauthenticateIfAsked(page, user);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect.poll(async () => (await journey.admin.client.users.findOne({ realm: stack.realm, id: user.id })) ?? null).toBeNull();

  await erased(user, notes, article);
  await nextNavigationLandsOnSignIn(page);
  await submitKeycloakLogin(page, user.email, user.password);
  await expect.poll(() => keycloakMessages(page)).toMatch(/invalid/i);
});

it("a person who cancels on Keycloak's confirmation page keeps their account and data", async () => {
  const { user, page, notes } = await personWithData("delete-cancel");
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByTestId("delete-account").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await reauthenticateIfAsked(page, user);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.webUrl}/`));
  expect(await journey.admin.client.users.findOne({ realm: stack.realm, id: user.id })).toBeTruthy();
  expect(rows.notes(notes)).toBe(2);
  await page.goto(`${stack.webUrl}/notes`);
  expect(await page.getByTestId("note-title").allTextContents()).toContain("delete-cancel first");
});

it("an admin deletes a person in Keycloak: the person's open page is signed out at its next navigation, their notes and API user are erased, their article stays", async () => {
  const { user, page, notes, article } = await personWithData("delete-by-admin");
  await journey.admin.client.users.del({ realm: stack.realm, id: user.id });
  await erased(user, notes, article);
  await nextNavigationLandsOnSignIn(page);
});
