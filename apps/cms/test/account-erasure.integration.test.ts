// Erasure when Keycloak deletes a user, end to end: an admin deletes a person
// through Keycloak's admin API; our extension's session-revoked "ALL" SET
// reaches Strapi, which asks Keycloak whether the user still exists and erases
// their notes and user row, keeping their articles without author. A disabled
// user gets the same kind of SET and keeps everything.
// docs/decisions/0110-erasure-on-account-deletion.md.
//
// Strapi's HTTP API cannot show the rows (notes are private to their owner,
// the author is a private field): the test reads them (testkit cms-rows).
import { beforeAll, expect, it } from "vitest";
import { cmsRows } from "@stack/testkit/cms-rows";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { pastThisSecond, revocationProbes } from "./support/revocation-probes.ts";
import { untilPushed } from "./support/ssf-receiver.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const { signedIn, refusedWithin } = revocationProbes(stack, fixture);
const ERASURE_DEADLINE_MS = 15_000;

beforeAll(async () => {
  await untilPushed(stack);
}, 120_000);

const { users: userRows, notes: noteRows, articleAuthors } = cmsRows(stack);

async function addNote(token: string, title: string): Promise<string> {
  const response = await callCms(stack, "/api/notes", { method: "POST", token, body: { data: { title, body: "private" } } });
  expect(response.status).toBe(201);
  return response.json.data.documentId as string;
}

it("an admin deletes a person: their notes and Strapi user are erased, their article stays without author", async () => {
  const { user } = await signedIn("erase-deleted");
  const editor = await fixture.admin.client.roles.findOneByName({ realm: stack.realm, name: "editor" });
  await fixture.admin.client.users.addRealmRoleMappings({ realm: stack.realm, id: user.id, roles: [{ id: editor!.id!, name: "editor" }] });
  const token = (await tokensFor(stack, user.email, user.password)).access_token;
  const notes = [await addNote(token, "first"), await addNote(token, "second")];
  const article = await callCms(stack, "/api/articles", { method: "POST", token, body: { data: { title: "Kept after erasure", body: "text" } } });
  expect(article.status).toBe(201);
  const articleId = article.json.data.documentId as string;
  expect(userRows(user.id)).toBe(1);
  expect(noteRows(notes)).toBe(2);
  expect(articleAuthors(articleId).every((row) => row.author !== null)).toBe(true);

  await fixture.admin.client.users.del({ realm: stack.realm, id: user.id });

  await expect.poll(() => userRows(user.id), { timeout: ERASURE_DEADLINE_MS, interval: 250 }).toBe(0);
  expect(noteRows(notes)).toBe(0);
  const rows = articleAuthors(articleId);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((row) => row.author === null)).toBe(true);
  const published = await callCms(stack, `/api/articles/${articleId}`);
  expect(published.status).toBe(200);
  expect(published.json.data.title).toBe("Kept after erasure");
});

it("an admin disables a person: the same signal arrives, and their notes and Strapi user stay", async () => {
  const { user, tokens } = await signedIn("erase-disabled");
  const note = await addNote(tokens.access_token, "kept");
  await pastThisSecond();
  const start = Date.now();
  await fixture.admin.disableUser(user);
  // Refused as revoked: the SET was processed (the erasure check runs before the revocation is stored).
  await refusedWithin(tokens.access_token, start, ERASURE_DEADLINE_MS);
  expect(userRows(user.id)).toBe(1);
  expect(noteRows([note])).toBe(1);
});
