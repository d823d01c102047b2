// Issue #15: every page of the web app passes axe-core without a serious or
// critical violation, signed out and signed in (an editor, so /articles/new
// shows its form), including a note's edit page, a draft's publish page (where
// a step-up comes back to) and the error pages.
import { expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { describeFindings, seriousViolations } from "./support/axe-audit.ts";
import { journeyFixture } from "./support/journey-fixture.ts";
import { addNote } from "./support/notes-page.ts";

const journey = journeyFixture();
const { stack } = journey;

const PUBLIC_PAGES = ["/", "/articles", "/session-ended?reason=refresh_token_expired", "/sign-in-unavailable", "/auth-error?error=AccessDenied"];

it("signed out, the public pages have no serious or critical axe violation", async () => {
  const page = await journey.newPage();
  const problems: string[] = [];
  for (const path of PUBLIC_PAGES) {
    await page.goto(`${stack.webUrl}${path}`);
    problems.push(...describeFindings(path, await seriousViolations(page)));
  }
  expect(problems.join("\n")).toBe("");
});

it("signed in as an editor, every page has no serious or critical axe violation", async () => {
  const editor = await journey.newUser("axe");
  const role = await journey.admin.client.roles.findOneByName({ realm: stack.realm, name: "editor" });
  await journey.admin.client.users.addRealmRoleMappings({ realm: stack.realm, id: editor.id, roles: [{ id: role!.id!, name: "editor" }] });
  const page = await journey.newPage();
  await page.goto(`${stack.webUrl}/notes`);
  await signInThroughKeycloak(page, editor.email, editor.password, `${stack.webUrl}/notes`);

  const problems: string[] = [];
  // The empty state first, then a list with a note in it.
  problems.push(...describeFindings("/notes (empty)", await seriousViolations(page)));
  await addNote(page, "axe note");
  problems.push(...describeFindings("/notes", await seriousViolations(page)));
  await page.getByRole("link", { name: "Edit axe note" }).click();
  await page.waitForURL(/\/notes\/.+\/edit$/);
  problems.push(...describeFindings("/notes/…/edit", await seriousViolations(page)));

  // A draft saved before a step-up: its publish page, and the same page for a draft that is not there.
  const token = (await tokensFor(stack, editor.email, editor.password)).access_token;
  const saved = await fetch(`${stack.cmsUrl}/api/articles?status=draft`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title: "axe draft", body: "Body of the axe draft" } }),
  });
  expect(saved.status).toBe(201);
  const draftId = ((await saved.json()) as { data: { documentId: string } }).data.documentId;
  await page.goto(`${stack.webUrl}/articles/publish/${draftId}`);
  await expect.poll(() => page.getByTestId("draft-title").textContent()).toBe("axe draft");
  problems.push(...describeFindings("/articles/publish/…", await seriousViolations(page)));

  for (const path of ["/", "/articles", "/articles/new", "/articles/publish/no-such-draft", "/account", "/notes?error=cms_unavailable", ...PUBLIC_PAGES.slice(2)]) {
    await page.goto(`${stack.webUrl}${path}`);
    problems.push(...describeFindings(path, await seriousViolations(page)));
  }
  expect(problems.join("\n")).toBe("");
});
