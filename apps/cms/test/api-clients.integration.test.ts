// Issue 13: the API for every kind of client, against the real Keycloak and
// Strapi of the test stack. The publisher job (client credentials), a mobile
// app's code + PKCE tokens with and without the scopes a request needs,
// DPoP-bound tokens and every hostile way of presenting them, and a client the
// API's table does not list.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { accessTokenHash as ath, dpopKey, dpopProof as proof, type DpopKey } from "./support/dpop-proof.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const tokenUrl = `${stack.issuer}/protocol/openid-connect/token`;
const MOBILE_REDIRECT = "http://127.0.0.1:49152/oauth/callback";
const created: string[] = [];
let publisherToken: string;
let person: { email: string; password: string };

async function callWithProofs(path: string, method: string, authorization: string, proofs: string[], body?: unknown) {
  const headers = new Headers({ accept: "application/json", authorization });
  for (const value of proofs) headers.append("dpop", value);
  if (body !== undefined) headers.set("content-type", "application/json");
  const response = await fetch(`${stack.cmsUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text) };
}

async function publisherCredentialsToken(): Promise<Record<string, unknown>> {
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`publisher:${encodeURIComponent(stack.publisherClientSecret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, any>;

beforeAll(async () => {
  publisherToken = String((await publisherCredentialsToken()).access_token);
  const user = await fixture.newUser("api-clients");
  person = { email: user.email, password: user.password };
});

afterAll(async () => {
  for (const documentId of created) await callCms(stack, `/api/articles/${documentId}`, { method: "DELETE", token: publisherToken }).catch(() => undefined);
});

describe("the publisher service (client credentials)", () => {
  it("gets a token for the API without a session id or email, carrying its own role and articles:write", () => {
    const claims = claimsOf(publisherToken);
    expect(claims.azp).toBe("publisher");
    expect([claims.aud].flat()).toContain("cms");
    expect(claims.sid).toBeUndefined();
    expect(claims.email).toBeUndefined();
    expect(claims.realm_access.roles).toContain("publisher");
    expect(claims.realm_access.roles).not.toContain("user");
    expect(String(claims.scope).split(" ")).toContain("articles:write");
  });

  it("publishes an article, and cannot read anyone's notes", async () => {
    const title = `Nightly ${randomUUID().slice(0, 8)}`;
    const published = await callCms(stack, "/api/articles", { method: "POST", token: publisherToken, body: { data: { title, body: "From the job." } } });
    expect(published.status).toBe(201);
    created.push(published.json.data.documentId);
    const read = await callCms(stack, `/api/articles/${published.json.data.documentId}`);
    expect(read.status).toBe(200);
    expect(read.json.data.title).toBe(title);

    const notes = await callCms(stack, "/api/notes", { token: publisherToken });
    expect(notes.status).toBe(403);
  });

  it("is provisioned as a service account, not a person: users/me has no email", async () => {
    const me = await callCms(stack, "/api/users/me", { token: publisherToken });
    // The publisher role has no users/me right: a service account is not someone's profile.
    expect(me.status).toBe(403);
  });
});

describe("a mobile app (authorization code + PKCE, loopback redirect)", () => {
  it("reads notes with notes:read; writing without notes:write is 403 insufficient_scope naming the scope", async () => {
    const tokens = await tokensFor(stack, person.email, person.password, { clientId: "mobile", clientSecret: "", redirectUri: MOBILE_REDIRECT, scope: "openid notes:read" });
    const claims = claimsOf(tokens.access_token);
    expect(claims.azp).toBe("mobile");
    expect([claims.aud].flat()).toContain("cms");
    expect(claims.sid).toEqual(expect.any(String));

    const list = await callCms(stack, "/api/notes", { token: tokens.access_token });
    expect(list.status).toBe(200);
    const write = await callCms(stack, "/api/notes", { method: "POST", token: tokens.access_token, body: { data: { title: "t", body: "b" } } });
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="notes:write"');
    expect(write.json.error.code).toBe("insufficient_scope");
  });

  it("a token with no API scope at all reads no notes (role ∩ scopes), and still reads public articles", async () => {
    const tokens = await tokensFor(stack, person.email, person.password, { clientId: "mobile", clientSecret: "", redirectUri: MOBILE_REDIRECT, scope: "openid" });
    const list = await callCms(stack, "/api/notes", { token: tokens.access_token });
    expect(list.status).toBe(403);
    expect(list.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="notes:read"');
    expect((await callCms(stack, "/api/articles", { token: tokens.access_token })).status).toBe(200);
  });
});

describe("DPoP-bound tokens (RFC 9449)", () => {
  let key: DpopKey;
  let bound: string;
  const notesUrl = `${stack.cmsUrl}/api/notes`;

  beforeAll(async () => {
    key = await dpopKey();
    const tokens = await tokensFor(stack, person.email, person.password, {
      clientId: "mobile",
      clientSecret: "",
      redirectUri: MOBILE_REDIRECT,
      scope: "openid notes:read notes:write",
      dpopProof: (url) => proof(key, "POST", url),
    });
    bound = tokens.access_token;
    expect(claimsOf(bound).cnf?.jkt).toEqual(expect.any(String));
  });

  it("are accepted with one valid proof, for reads and writes", async () => {
    const read = await callWithProofs("/api/notes", "GET", `DPoP ${bound}`, [await proof(key, "GET", notesUrl, { ath: ath(bound) })]);
    expect(read.status).toBe(200);
    const write = await callWithProofs("/api/notes", "POST", `DPoP ${bound}`, [await proof(key, "POST", notesUrl, { ath: ath(bound) })], { data: { title: "bound", body: "by DPoP" } });
    expect(write.status).toBe(201);
  });

  const refused = async (authorization: string, proofs: string[], code: string, method = "GET", url = "/api/notes") => {
    const response = await callWithProofs(url, method, authorization, proofs);
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe(code);
    return response;
  };

  it("are refused without a proof, with two proofs, or as Bearer", async () => {
    await refused(`DPoP ${bound}`, [], "dpop_proof_missing");
    const one = await proof(key, "GET", notesUrl, { ath: ath(bound) });
    const two = await proof(key, "GET", notesUrl, { ath: ath(bound) });
    const response = await refused(`DPoP ${bound}`, [one, two], "dpop_proof_invalid");
    expect(response.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof"/);
    await refused(`Bearer ${bound}`, [], "dpop_bound_token_as_bearer");
  });

  it("are refused with a proof for another method or URL, a wrong ath, a stale iat, or another key", async () => {
    await refused(`DPoP ${bound}`, [await proof(key, "POST", notesUrl, { ath: ath(bound) })], "dpop_proof_invalid");
    await refused(`DPoP ${bound}`, [await proof(key, "GET", `${stack.cmsUrl}/api/articles`, { ath: ath(bound) })], "dpop_proof_invalid");
    await refused(`DPoP ${bound}`, [await proof(key, "GET", notesUrl, { ath: ath(`${bound}x`) })], "dpop_proof_invalid");
    await refused(`DPoP ${bound}`, [await proof(key, "GET", notesUrl, { ath: ath(bound), iat: Math.floor(Date.now() / 1000) - 600 })], "dpop_proof_invalid");
    await refused(`DPoP ${bound}`, [await proof(await dpopKey(), "GET", notesUrl, { ath: ath(bound) })], "dpop_key_mismatch");
  });

  it("refuse a replayed proof", async () => {
    const once = await proof(key, "GET", notesUrl, { ath: ath(bound) });
    expect((await callWithProofs("/api/notes", "GET", `DPoP ${bound}`, [once])).status).toBe(200);
    await refused(`DPoP ${bound}`, [once], "dpop_proof_replayed");
  });
});

describe("clients outside the API's table", () => {
  it("a token with the API's audience from a client the table does not list is 401", async () => {
    // A confidential client made for this test, with the cms-audience scope: everything right but its azp.
    const admin = fixture.admin.client;
    const clientId = `outsider-${randomUUID().slice(0, 8)}`;
    const secret = randomUUID();
    const { id } = await admin.clients.create({ clientId, publicClient: false, secret, serviceAccountsEnabled: true, standardFlowEnabled: false });
    try {
      const [audience] = (await admin.clientScopes.find()).filter((scope) => scope.name === "cms-audience");
      await admin.clients.addDefaultClientScope({ id, clientScopeId: audience!.id! });
      const response = await fetch(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
      });
      const token = String(((await response.json()) as { access_token: string }).access_token);
      expect([claimsOf(token).aud].flat()).toContain("cms");
      const call = await callCms(stack, "/api/articles", { method: "POST", token, body: { data: { title: "x", body: "y" } } });
      expect(call.status).toBe(401);
      expect(call.json.error.code).toBe("invalid_authorized_party");
    } finally {
      await admin.clients.del({ id });
    }
  });
});
