// Taking their data (issue 15): "Download my data" on the account page gives
// the signed-in person one JSON file with their profile at Keycloak and their
// notes from Strapi, and no token (apps/web/src/server/account/account-data.ts).
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { findTokens } from "@stack/testkit/token-scan";
import { journeyFixture } from "./support/journey-fixture.ts";
import { addNote } from "./support/notes-page.ts";

const journey = journeyFixture();
const { stack } = journey;

it("the account page's Download my data saves one JSON file with the person's profile and notes, and no token", async () => {
  const user = await journey.newUser("export-flow");
  const page = await journey.signedInOnAccountPage(user);
  await page.getByRole("link", { name: "Notes" }).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await addNote(page, "exported note");
  await page.getByRole("link", { name: "Account" }).click();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-data").click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const text = await readFile((await download.path())!, "utf8");
  const data = JSON.parse(text) as { profile?: { email?: string }; notes?: { title?: string }[] };
  expect(data.profile?.email).toBe(user.email);
  expect(data.notes?.map((note) => note.title)).toEqual(["exported note"]);
  expect(findTokens(text)).toEqual([]);
  await page.context().close();
});
