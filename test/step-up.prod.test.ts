// Step-up at the API (RFC 9470) on the production topology, where Strapi runs
// its default level table (publishing and deleting need level 2; local dev and
// test stacks relax it, docs/strong-authentication.md). A level-1 token (a
// password sign-in) sent straight to Strapi writes drafts but gets the
// challenge for publishing and deleting.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { callJson } from "./support/call-json.ts";

const stack = prodStackEnv();
const realm = realmFixture(stack);
let editorToken: string;

beforeAll(async () => {
  const editor = await realm.newUser("step-up-editor");
  const role = await realm.admin.client.roles.findOneByName({ name: "editor" });
  await realm.admin.client.users.addRealmRoleMappings({ id: editor.id, roles: [{ id: role!.id!, name: "editor" }] });
  editorToken = (await tokensFor(stack, editor.email, editor.password)).access_token;
});

const CHALLENGE = /^Bearer error="insufficient_user_authentication", error_description="[^"]+", acr_values="second-factor"$/;

describe("step-up at the API", () => {
  it("a password sign-in carries acr password (level 1)", () => {
    const claims = JSON.parse(Buffer.from(editorToken.split(".")[1]!, "base64url").toString());
    expect(claims.acr).toBe("password");
  });

  it("a level-1 token writes a draft, and gets the RFC 9470 challenge to publish or delete it", async () => {
    const title = `Step-up ${randomUUID().slice(0, 8)}`;
    const draft = await callJson(stack.cmsUrl, "/api/articles?status=draft", { method: "POST", token: editorToken, body: { data: { title } } });
    expect(draft.status).toBe(201);
    const documentId = draft.json.data.documentId as string;

    for (const [method, path, body] of [
      ["PUT", `/api/articles/${documentId}?status=published`, { data: {} }],
      // Strapi publishes when no status is given: the same rule.
      ["POST", "/api/articles", { data: { title: `${title} direct` } }],
      ["DELETE", `/api/articles/${documentId}`, undefined],
    ] as const) {
      const refused = await callJson(stack.cmsUrl, path, { method, token: editorToken, body });
      expect(refused.status, `${method} ${path}`).toBe(401);
      expect(refused.headers.get("www-authenticate")).toMatch(CHALLENGE);
      expect(refused.json.error).toMatchObject({ code: "insufficient_user_authentication", details: { acr_values: "second-factor", reason: "level_too_low" } });
    }

    // Nothing was published or lost: the draft is still there, still a draft.
    const stillDraft = await callJson(stack.cmsUrl, `/api/articles/${documentId}?status=draft`, { token: editorToken });
    expect(stillDraft.status).toBe(200);
    expect(stillDraft.json.data.publishedAt ?? null).toBeNull();
    const published = await callJson(stack.cmsUrl, `/api/articles?filters[title][$startsWith]=${encodeURIComponent(title)}`);
    expect(published.json.data).toEqual([]);
  });

  it("reads need level 1 and are answered", async () => {
    expect((await callJson(stack.cmsUrl, "/api/articles", { token: editorToken })).status).toBe(200);
  });
});
