// Walking skeleton, end to end: a person signs in on Keycloak's hosted page,
// lands in the web app, and sees the notes Strapi served for them, and only them.
import { expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;

async function createNote(email: string, password: string, title: string): Promise<void> {
  const { access_token } = await tokensFor(stack, email, password);
  const response = await fetch(`${stack.cmsUrl}/api/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ data: { title, body: `written by ${email}` } }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

it("signs in as a demo user on Keycloak's page and shows that user's name and notes from Strapi", async () => {
  const run = Date.now().toString(36);
  const aliceTitle = `Alice's note ${run}`;
  const bobTitle = `Bob's note ${run}`;
  await createNote("alice@example.com", "alice-demo-password", aliceTitle);
  await createNote("bob@example.com", "bob-demo-password", bobTitle);

  const page = await journey.newPage();
  await journey.signInFromHome(page, { email: "alice@example.com", password: "alice-demo-password" });
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Liddell");
  const titles = await page.getByTestId("note-title").allTextContents();
  expect(titles).toContain(aliceTitle);
  expect(titles).not.toContain(bobTitle);
  await page.context().close();
});
