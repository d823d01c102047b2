// Step-up in real Chromium on the production topology, where Strapi keeps its
// default level table (publishing needs level 2, docs/strong-authentication.md):
// an editor with an authenticator app signs in with the password only (level 1),
// writes an article and presses Publish. Strapi answers the RFC 9470 challenge,
// the web app saves the draft and sends the editor through Keycloak with
// acr_values, Keycloak asks for the app's code (a wrong one is refused), and back
// in the app the draft is there to publish: nothing typed is lost, and the
// article is published with the level-2 token.
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { freshTotp } from "@stack/testkit/totp";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;

async function submitCode(page: Page, code: string): Promise<void> {
  await page.locator("#otp").fill(code);
  await page.locator("#kc-login").click();
}

it("an editor signed in with the password only publishes: Keycloak asks for the second factor, the draft waits, the article is published", async () => {
  const editor = await journey.newUser("step-up-journey");
  const role = await journey.admin.client.roles.findOneByName({ realm: stack.realm, name: "editor" });
  await journey.admin.client.users.addRealmRoleMappings({ realm: stack.realm, id: editor.id, roles: [{ id: role!.id!, name: "editor" }] });
  const usedSteps = new Set<number>();

  // An authenticator app, set up from the account page through Keycloak's own page.
  const setup = await journey.signedInOnAccountPage(editor);
  await setup.getByTestId("configure-totp").click();
  await setup.locator("#mode-manual").click();
  const secret = (await setup.locator("#kc-totp-secret-key").textContent())!.trim();
  await setup.locator("#totp").fill(await freshTotp(secret, usedSteps));
  await setup.locator("#saveTOTPBtn").click();
  await setup.waitForURL(`${stack.webUrl}/account`);
  await setup.context().close();

  // Another device: a plain sign-in asks for the password only.
  const page = await journey.newPage();
  await journey.signInFromHome(page, editor);
  await page.goto(`${stack.webUrl}/articles/new`);
  const title = `Stepped up ${Date.now().toString(36)}`;
  await page.getByTestId("article-title").fill(title);
  await page.getByTestId("article-body").fill("Published after the second factor.");
  await page.getByTestId("publish-article").click();

  // Strapi asked for level 2: Keycloak wants the app's code; a wrong code is refused first.
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await page.locator("#otp").waitFor();
  await submitCode(page, "000000" === (await freshTotp(secret, new Set())) ? "111111" : "000000");
  await expect.poll(() => page.locator("#input-error-otp").textContent()).toContain("Invalid authenticator code");
  await submitCode(page, await freshTotp(secret, usedSteps));

  // Back in the app on the saved draft, with the second factor confirmed; publishing finishes.
  await page.waitForURL((url) => url.href.startsWith(`${stack.webUrl}/articles/publish/`));
  await expect.poll(() => page.getByTestId("draft-title").textContent()).toBe(title);
  await expect.poll(() => page.getByTestId("step-up-status").textContent()).toContain("confirmed");
  await page.getByTestId("publish-draft").click();
  await page.waitForURL(`${stack.webUrl}/articles?published=1`);

  // Published, once, with this title: readable without a token.
  const published = await fetch(`${stack.cmsUrl}/api/articles?${new URLSearchParams({ "filters[title][$eq]": title })}`);
  expect(published.status).toBe(200);
  const { data } = (await published.json()) as { data: { title: string; publishedAt: string | null }[] };
  expect(data.map((article) => article.title)).toEqual([title]);
  expect(data[0]!.publishedAt).toBeTruthy();
});
