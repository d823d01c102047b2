// Articles: public reads of published content, the editor role writes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
let reader: string;
let editor: string;
const created: string[] = [];

beforeAll(async () => {
  const [r, e] = await Promise.all([fixture.newUser("cms-reader"), fixture.newUser("cms-editor")]);
  const role = await fixture.admin.client.roles.findOneByName({ name: "editor" });
  await fixture.admin.client.users.addRealmRoleMappings({ id: e.id, roles: [{ id: role!.id!, name: "editor" }] });
  reader = (await tokensFor(stack, r.email, r.password)).access_token;
  editor = (await tokensFor(stack, e.email, e.password)).access_token;
});

afterAll(async () => {
  for (const documentId of created) await callCms(stack, `/api/articles/${documentId}`, { method: "DELETE", token: editor });
});

const publish = async (title: string, status?: "draft") => {
  const response = await callCms(stack, `/api/articles${status ? `?status=${status}` : ""}`, {
    method: "POST",
    token: editor,
    body: { data: { title, body: `Body of ${title}` } },
  });
  expect(response.status).toBe(201);
  created.push(response.json.data.documentId);
  return response.json.data as { documentId: string; title: string };
};

describe("articles", () => {
  it("anyone reads published articles, with or without a token", async () => {
    const title = `Published ${randomUUID().slice(0, 8)}`;
    const article = await publish(title);
    for (const token of [undefined, reader]) {
      const list = await callCms(stack, `/api/articles?filters[title][$eq]=${encodeURIComponent(title)}`, { token });
      expect(list.status).toBe(200);
      expect(list.json.data.map((a: { documentId: string }) => a.documentId)).toEqual([article.documentId]);
      const one = await callCms(stack, `/api/articles/${article.documentId}`, { token });
      expect(one.status).toBe(200);
      expect(one.json.data.author).toBeUndefined();
    }
  });

  it("drafts stay invisible to readers, even when they ask for them", async () => {
    const title = `Draft ${randomUUID().slice(0, 8)}`;
    const draft = await publish(title, "draft");
    for (const token of [undefined, reader]) {
      const list = await callCms(stack, `/api/articles?status=draft&filters[title][$eq]=${encodeURIComponent(title)}`, { token });
      expect(list.status).toBe(200);
      expect(list.json.data).toEqual([]);
      const one = await callCms(stack, `/api/articles/${draft.documentId}?status=draft`, { token });
      expect(one.status).toBe(404);
    }
    const asEditor = await callCms(stack, `/api/articles?status=draft&filters[title][$eq]=${encodeURIComponent(title)}`, { token: editor });
    expect(asEditor.json.data).toHaveLength(1);
  });

  it("only the editor role creates, edits and deletes", async () => {
    const body = { data: { title: "Not allowed" } };
    expect((await callCms(stack, "/api/articles", { method: "POST", body })).status).toBe(401);
    expect((await callCms(stack, "/api/articles", { method: "POST", token: reader, body })).status).toBe(403);

    const article = await publish(`Editable ${randomUUID().slice(0, 8)}`);
    const put = (token?: string) =>
      callCms(stack, `/api/articles/${article.documentId}`, { method: "PUT", token, body: { data: { title: "Edited" } } });
    expect((await put()).status).toBe(401);
    expect((await put(reader)).status).toBe(403);
    const edited = await put(editor);
    expect(edited.status).toBe(200);
    expect(edited.json.data.title).toBe("Edited");
    expect((await callCms(stack, `/api/articles/${article.documentId}`, { method: "DELETE", token: reader })).status).toBe(403);
  });

  it("takes the author from the token, never from the body", async () => {
    const response = await callCms(stack, "/api/articles", {
      method: "POST",
      token: editor,
      body: { data: { title: "Planted author", author: 1 } },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("owner_not_writable");
  });

  it("never changes the author on update", async () => {
    const article = await publish(`Authored ${randomUUID().slice(0, 8)}`);
    const readerUser = (await callCms(stack, "/api/users/me", { token: reader })).json as { id: number; documentId: string };
    for (const author of [readerUser.id, readerUser.documentId, { connect: [readerUser.id] }, { set: [{ documentId: readerUser.documentId }] }, null]) {
      const response = await callCms(stack, `/api/articles/${article.documentId}`, {
        method: "PUT",
        token: editor,
        body: { data: { title: "Reassigned", author } },
      });
      expect(response.status, JSON.stringify(author)).toBe(400);
      expect(response.json.error.code, JSON.stringify(author)).toBe("owner_not_writable");
    }
    const unchanged = await callCms(stack, `/api/articles/${article.documentId}`);
    expect(unchanged.json.data.title).toBe(article.title);
  });
});
