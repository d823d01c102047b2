// "Download my data" (GET /account/data): one JSON file for the signed-in
// person with their Keycloak profile, linked providers and every note of
// theirs in Strapi, and nothing of anyone else's; no token inside; signed-out
// visitors are sent to sign in.
import { expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { findTokens } from "@stack/testkit/token-scan";
import { signInToWeb } from "@stack/testkit/web-session";

const stack = stackEnv();
const realm = realmFixture(stack);

async function addNotes(email: string, password: string, titles: string[]): Promise<void> {
  const { access_token } = await tokensFor(stack, email, password);
  for (const title of titles) {
    const response = await fetch(`${stack.cmsUrl}/api/notes`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ data: { title, body: `body of ${title}` } }),
    });
    expect(response.status).toBe(201);
  }
}

it("gives the signed-in person their profile and all their notes as a download, and nobody else's", async () => {
  const [person, other] = await Promise.all([realm.newUser("export-me"), realm.newUser("export-other")]);
  // More than Strapi's default page of 25: every page is gathered.
  const mine = Array.from({ length: 27 }, (_, i) => `mine ${i + 1}`);
  await addNotes(person.email, person.password, mine);
  await addNotes(other.email, other.password, ["not yours"]);

  const session = await signInToWeb(stack, person.email, person.password);
  const response = await session.fetch("/account/data");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="[^"]+\.json"$/);
  expect(response.headers.get("cache-control")).toContain("no-store");
  const text = await response.text();
  expect(findTokens(text)).toEqual([]);
  const data = JSON.parse(text) as { profile: { email?: string; username?: string }; linkedProviders: unknown[]; notes: { title: string; body: string }[] };
  expect(data.profile.email).toBe(person.email);
  expect(data.linkedProviders).toEqual([]);
  expect(data.notes.map((note) => note.title).sort()).toEqual([...mine].sort());
  expect(data.notes[0]!.body).toBe(`body of ${data.notes[0]!.title}`);
  expect(text).not.toContain("not yours");
  expect(text).not.toContain(other.email);
});

it("a signed-out visitor is sent to sign in, not given anything", async () => {
  const response = await fetch(`${stack.webUrl}/account/data`, { redirect: "manual" });
  expect([302, 303, 307]).toContain(response.status);
  expect(new URL(response.headers.get("location")!, stack.webUrl).pathname).not.toBe("/account/data");
  expect(await response.text()).not.toContain("profile");
});
