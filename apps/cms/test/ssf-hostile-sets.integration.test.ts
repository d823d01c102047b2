// Hostile pushes to Strapi's Shared Signals receiver. Each must be refused with
// 400 and the RFC 8935 §2.3 error code, and change nothing: the victim's
// session, named in every SET, stays usable.
//
// Cases that must fail on a claim, not on the signature, need a SET signed by a
// realm key: the test adds its own RSA key to the realm (low priority, so
// Keycloak keeps signing with its own key), which the realm's JWKS publishes,
// and removes it afterwards.
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { receiverStream, untilPushed } from "./support/ssf-receiver.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

let victimToken: string;
let victim: { sub: string; sid: string };
let audience: string;
let pushAuthorization: string;
let realmKey: { privateKey: KeyObject; kid: string; componentId: string };
const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });

beforeAll(async () => {
  await untilPushed(stack);
  const user = await fixture.newUser("ssf-hostile");
  victimToken = (await tokensFor(stack, user.email, user.password)).access_token;
  const claims = JSON.parse(Buffer.from(victimToken.split(".")[1]!, "base64url").toString()) as { sub: string; sid: string };
  victim = { sub: claims.sub, sid: claims.sid };
  ({ audience, authorization: pushAuthorization } = await receiverStream(stack));

  // A realm key the test holds the private half of.
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const realm = await fixture.admin.client.realms.findOne({ realm: stack.realm });
  const created = await fixture.admin.client.components.create({
    realm: stack.realm,
    name: `ssf-hostile-test-${randomUUID().slice(0, 8)}`,
    providerId: "rsa",
    providerType: "org.keycloak.keys.KeyProvider",
    parentId: realm!.id!,
    config: {
      priority: ["1"],
      enabled: ["true"],
      active: ["true"],
      algorithm: ["RS256"],
      privateKey: [pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString()],
    },
  });
  const keys = await fixture.admin.client.realms.getKeys({ realm: stack.realm });
  const kid = keys.keys?.find((key) => key.providerId === created.id)?.kid;
  if (!kid) throw new Error("the test's realm key is not listed");
  realmKey = { privateKey: pair.privateKey, kid, componentId: created.id };
}, 180_000);

afterAll(async () => {
  if (realmKey) await fixture.admin.client.components.del({ realm: stack.realm, id: realmKey.componentId });
});

interface Push {
  body?: string;
  contentType?: string | null;
  authorization?: string | null;
}

async function push({ body, contentType = "application/secevent+jwt", authorization }: Push) {
  const headers: Record<string, string> = {};
  if (contentType !== null) headers["content-type"] = contentType;
  const auth = authorization === undefined ? pushAuthorization : authorization;
  if (auth !== null) headers.authorization = auth;
  const response = await fetch(`${stack.cmsUrl}/api/ssf/events`, { method: "POST", headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let json: { err?: string; description?: string } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** The claims of a genuine session-revoked SET for the victim's session, as Keycloak sends it. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    jti: randomUUID(),
    iss: stack.issuer,
    iat: now,
    aud: audience,
    events: { [SESSION_REVOKED]: { event_timestamp: now, initiating_entity: "user" } },
    sub_id: {
      format: "complex",
      user: { format: "iss_sub", iss: stack.issuer, sub: victim.sub },
      session: { format: "opaque", id: victim.sid },
    },
    txn: randomUUID(),
    ...overrides,
  };
}

async function sign(payload: Record<string, unknown>, options: { key?: KeyObject | Uint8Array; kid?: string; alg?: string; typ?: string } = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? "RS256", typ: options.typ ?? "secevent+jwt", kid: options.kid ?? realmKey.kid })
    .sign(options.key ?? realmKey.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function victimStillAccepted(): Promise<void> {
  expect((await callCms(stack, "/api/notes", { token: victimToken })).status).toBe(200);
}

describe("hostile Security Event Tokens", () => {
  it("the genuine token is accepted before", victimStillAccepted);

  it("a verification SET signed by a realm key is acknowledged with 202 (the harness works); its replay is refused", async () => {
    const set = await sign(claims({ events: { "https://schemas.openid.net/secevent/ssf/event-type/verification": { state: "test" } }, sub_id: { format: "opaque", id: "x" } }));
    expect((await push({ body: set })).status).toBe(202);
    const replay = await push({ body: set });
    expect(replay.status).toBe(400);
    expect(replay.json?.err).toBe("invalid_request");
  });

  it("an unknown event type is acknowledged and ignored", async () => {
    const set = await sign(claims({ events: { "https://example.com/event-type/unknown": { anything: true } } }));
    expect((await push({ body: set })).status).toBe(202);
    await victimStillAccepted();
  });

  it("refuses every hostile push with 400 and the right RFC 8935 error, and revokes nothing", async () => {
    const jwks = (await (await fetch(`${stack.issuer}/protocol/openid-connect/certs`)).json()) as { keys: { kid: string; n?: string }[] };
    const published = jwks.keys.find((key) => key.kid === realmKey.kid)!;
    const replayed = await sign(claims({ events: { "https://example.com/event-type/unknown": {} } }));
    expect((await push({ body: replayed })).status).toBe(202);
    const now = Math.floor(Date.now() / 1000);
    const unsignedHeader = b64({ alg: "none", typ: "secevent+jwt", kid: realmKey.kid });

    const cases: [string, Push | Promise<Push>, string][] = [
      ["no authorization header", { body: await sign(claims()), authorization: null }, "authentication_failed"],
      ["wrong authorization header", { body: await sign(claims()), authorization: "Bearer not-the-secret" }, "access_denied"],
      ["wrong content type", { body: await sign(claims()), contentType: "application/jwt" }, "invalid_request"],
      ["no content type", { body: await sign(claims()), contentType: null }, "invalid_request"],
      ["oversized body", { body: `${await sign(claims())}${"A".repeat(20_000)}` }, "invalid_request"],
      ["malformed: not a JWT", { body: "this is not a jwt" }, "invalid_request"],
      ["malformed JSON payload", { body: `${unsignedHeader}.${Buffer.from("{not json").toString("base64url")}.AAAA` }, "invalid_request"],
      ["unsigned (empty signature)", { body: `${unsignedHeader}.${b64(claims())}.` }, "invalid_request"],
      ["alg none", { body: `${unsignedHeader}.${b64(claims())}.AAAA` }, "invalid_request"],
      [
        "HS256 with the realm key's public modulus as the secret",
        { body: await sign(claims(), { alg: "HS256", key: Buffer.from(published.n ?? "", "base64url") }) },
        "invalid_request",
      ],
      ["foreign key under the realm key's kid", { body: await sign(claims(), { key: attacker.privateKey }) }, "invalid_key"],
      ["foreign key under an unknown kid", { body: await sign(claims(), { key: attacker.privateKey, kid: "attacker-key" }) }, "invalid_key"],
      ["wrong aud", { body: await sign(claims({ aud: "cms/another-stream" })) }, "invalid_audience"],
      ["no aud", { body: await sign(claims({ aud: undefined })) }, "invalid_audience"],
      ["wrong iss", { body: await sign(claims({ iss: "https://evil.example/realms/app" })) }, "invalid_issuer"],
      ["wrong typ (a JWT access-token typ)", { body: await sign(claims(), { typ: "JWT" }) }, "invalid_request"],
      ["replayed jti", { body: replayed }, "invalid_request"],
      ["stale iat (1 hour old)", { body: await sign(claims({ iat: now - 3600 })) }, "invalid_request"],
      ["future iat (10 minutes ahead)", { body: await sign(claims({ iat: now + 600 })) }, "invalid_request"],
      [
        "two events",
        { body: await sign(claims({ events: { [SESSION_REVOKED]: { event_timestamp: now }, [CREDENTIAL_CHANGE]: { event_timestamp: now } } })) },
        "invalid_request",
      ],
      ["no events", { body: await sign(claims({ events: {} })) }, "invalid_request"],
      ["events not an object", { body: await sign(claims({ events: [SESSION_REVOKED] })) }, "invalid_request"],
      [
        "subject of another issuer",
        { body: await sign(claims({ sub_id: { format: "complex", user: { format: "iss_sub", iss: "https://evil.example", sub: victim.sub }, session: { format: "opaque", id: victim.sid } } })) },
        "invalid_request",
      ],
    ];
    expect(cases.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    for (const [name, pending, expectedErr] of cases) {
      const response = await push(await pending);
      const problems = [
        response.status !== 400 && `status ${response.status}`,
        response.json?.err !== expectedErr && `err ${JSON.stringify(response.json?.err)} (expected ${expectedErr})`,
        typeof response.json?.description !== "string" && "no description",
        /\bat .+:\d+:\d+|"stack"/.test(response.text) && "stack trace in body",
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${name}: ${problems.join(", ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("the victim's session is still accepted afterwards", async () => {
    // Past the poll interval, so another instance's copy would have caught up too.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await victimStillAccepted();
  });

  it("the same SET, genuine in every claim, does revoke the session (the corpus failed for its flaw alone)", async () => {
    expect((await push({ body: await sign(claims()) })).status).toBe(202);
    const response = await callCms(stack, "/api/notes", { token: victimToken });
    expect(response.status).toBe(401);
    expect(response.json?.error?.code).toBe("session_revoked");
  });
});


