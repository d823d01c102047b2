// Notes against the running stack: real Keycloak tokens, real Strapi.
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
let alice: string;
let bob: string;

beforeAll(async () => {
  const [a, b] = await Promise.all([fixture.newUser("cms-alice"), fixture.newUser("cms-bob")]);
  alice = (await tokensFor(stack, a.email, a.password)).access_token;
  bob = (await tokensFor(stack, b.email, b.password)).access_token;
});

const createNote = async (token: string, title: string, body = "") => {
  const response = await callCms(stack, "/api/notes", { method: "POST", token, body: { data: { title, body } } });
  expect(response.status).toBe(201);
  return response.json.data as { documentId: string; title: string; body: string };
};

describe("GET /api/notes", () => {
  it("answers 401 with a Bearer challenge when there is no token", async () => {
    const response = await callCms(stack, "/api/notes");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(response.json.error.code).toBe("missing_token");
  });

  it("returns only the caller's notes, in Strapi's { data, meta } shape", async () => {
    const mine = await createNote(alice, "Alice's note", "for Alice only");
    await createNote(bob, "Bob's note");

    const response = await callCms(stack, "/api/notes", { token: alice });
    expect(response.status).toBe(200);
    expect(response.json.meta.pagination).toMatchObject({ page: 1, total: 1 });
    expect(response.json.data).toHaveLength(1);
    expect(response.json.data[0]).toMatchObject({ documentId: mine.documentId, title: "Alice's note", body: "for Alice only" });
    for (const field of ["createdAt", "updatedAt"]) expect(typeof response.json.data[0][field]).toBe("string");
    expect(response.json.data[0].owner).toBeUndefined();

    const bobs = await callCms(stack, "/api/notes", { token: bob });
    expect(bobs.json.data.map((note: { title: string }) => note.title)).toEqual(["Bob's note"]);
  });

  it("cannot be widened with filters or populate", async () => {
    const filtered = await callCms(stack, "/api/notes?filters[title][$contains]=Bob", { token: alice });
    expect(filtered.status).toBe(200);
    expect(filtered.json.data).toEqual([]);
    const populated = await callCms(stack, "/api/notes?populate=owner", { token: alice });
    expect([200, 400]).toContain(populated.status);
    for (const note of populated.json.data ?? []) expect(note.owner).toBeUndefined();
  });
});

describe("/api/notes/:documentId", () => {
  it("lets the owner read, update and delete a note", async () => {
    const note = await createNote(alice, "Draft", "v1");
    const read = await callCms(stack, `/api/notes/${note.documentId}`, { token: alice });
    expect(read.status).toBe(200);
    expect(read.json.data.title).toBe("Draft");

    const updated = await callCms(stack, `/api/notes/${note.documentId}`, {
      method: "PUT",
      token: alice,
      body: { data: { title: "Final", body: "v2" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.data).toMatchObject({ title: "Final", body: "v2" });

    const deleted = await callCms(stack, `/api/notes/${note.documentId}`, { method: "DELETE", token: alice });
    expect(deleted.status).toBe(204);
    expect((await callCms(stack, `/api/notes/${note.documentId}`, { token: alice })).status).toBe(404);
  });

  it("answers 404 to everyone else, as if the note did not exist", async () => {
    const note = await createNote(alice, "Private");
    for (const [method, body] of [["GET"], ["PUT", { data: { title: "taken over" } }], ["DELETE"]] as const) {
      const response = await callCms(stack, `/api/notes/${note.documentId}`, { method, token: bob, body });
      expect(response.status, `${method} by another user`).toBe(404);
    }
    const still = await callCms(stack, `/api/notes/${note.documentId}`, { token: alice });
    expect(still.json.data.title).toBe("Private");
  });

  it("never takes the owner from the request body", async () => {
    const bobsId = (await callCms(stack, "/api/users/me", { token: bob })).json.id as number;
    const bobsNotes = async () => (await callCms(stack, "/api/notes", { token: bob })).json.data.length as number;
    const before = await bobsNotes();
    for (const owner of [bobsId, { id: bobsId }, { connect: [bobsId] }]) {
      const attempt = await callCms(stack, "/api/notes", {
        method: "POST",
        token: alice,
        body: { data: { title: "planted", owner } },
      });
      expect(attempt.status).toBe(400);
      expect(attempt.json.error.code).toBe("owner_not_writable");
    }
    expect(await bobsNotes()).toBe(before);
  });

  it("never moves a note to another owner on update, whatever shape the owner takes", async () => {
    const bobsUser = (await callCms(stack, "/api/users/me", { token: bob })).json as { id: number; documentId: string };
    const note = await createNote(alice, "Stays with Alice");
    const attempts = [
      bobsUser.id,
      bobsUser.documentId,
      { id: bobsUser.id },
      { connect: [bobsUser.id] },
      { connect: [{ documentId: bobsUser.documentId }] },
      { set: [bobsUser.id] },
      { set: [{ documentId: bobsUser.documentId }] },
      { disconnect: [{ documentId: "anything" }] },
      null,
    ];
    for (const owner of attempts) {
      const attempt = await callCms(stack, `/api/notes/${note.documentId}`, {
        method: "PUT",
        token: alice,
        body: { data: { title: "moved", owner } },
      });
      expect(attempt.status, JSON.stringify(owner)).toBe(400);
      expect(attempt.json.error.code, JSON.stringify(owner)).toBe("owner_not_writable");
    }
    const still = await callCms(stack, `/api/notes/${note.documentId}`, { token: alice });
    expect(still.json.data.title).toBe("Stays with Alice");
    expect((await callCms(stack, `/api/notes/${note.documentId}`, { token: bob })).status).toBe(404);
  });

  it("validates the title", async () => {
    const missing = await callCms(stack, "/api/notes", { method: "POST", token: alice, body: { data: { body: "no title" } } });
    expect(missing.status).toBe(400);
    const tooLong = await callCms(stack, "/api/notes", { method: "POST", token: alice, body: { data: { title: "x".repeat(201) } } });
    expect(tooLong.status).toBe(400);
  });
});

describe("first requests of a new user", () => {
  it("20 concurrent first requests create exactly one CMS user", async () => {
    const newcomer = await fixture.newUser("cms-newcomer");
    const token = (await tokensFor(stack, newcomer.email, newcomer.password)).access_token;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        callCms(stack, "/api/notes", { method: "POST", token, body: { data: { title: `note ${i}` } } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    // Every note is visible to the one user the token maps to: had a second
    // user been created, the notes would be split between the two.
    const list = await callCms(stack, "/api/notes?pagination[pageSize]=100", { token });
    expect(list.json.data).toHaveLength(20);
    const me = await callCms(stack, "/api/users/me", { token });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(newcomer.email);
  });
});
