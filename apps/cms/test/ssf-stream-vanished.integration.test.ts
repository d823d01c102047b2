// The stream keeper against the real transmitter: the cms stream deleted in
// Keycloak (through the SSF stream API, as an operator or a cleanup script
// would) is noticed at the next verification (KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS,
// 120 s by default: the request for the vanished stream fails, or no event
// arrives), Strapi falls back to introspection meanwhile, registers the stream
// again and returns to pushed revocations, which are honoured again.
import { expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { ssfHealth, untilPushed } from "./support/ssf-receiver.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);

async function cmsToken(scope: string): Promise<string> {
  const credentials = Buffer.from(`cms:${encodeURIComponent(stack.cmsClientSecret)}`).toString("base64");
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the cms client got no token (${response.status})`);
  return access_token;
}

async function streamIds(): Promise<string[]> {
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams`, { headers: { authorization: `Bearer ${await cmsToken("ssf.read")}`, accept: "application/json" } });
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  const body = (await response.json()) as { stream_id?: string }[] | { stream_id?: string } | null;
  const streams = Array.isArray(body) ? body : body ? [body] : [];
  return streams.map((stream) => stream.stream_id).filter((id): id is string => typeof id === "string");
}

it("a stream deleted in Keycloak is registered again, and revocations are pushed again", async () => {
  await untilPushed(stack);
  const [before] = await streamIds();
  expect(before).toBeDefined();
  const deleted = await fetch(`${stack.issuer}/ssf/transmitter/streams?stream_id=${encodeURIComponent(before!)}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${await cmsToken("ssf.manage")}` },
  });
  expect(deleted.status).toBeLessThan(300);
  expect(await streamIds()).toEqual([]);

  // Noticed at the next verification (up to the verify interval plus its timeout), then registered again.
  const deadline = Date.now() + 240_000;
  let after: string | undefined;
  while (Date.now() < deadline && after === undefined) {
    [after] = await streamIds();
    if (after === undefined) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  expect(after, "the stream was not registered again").toBeDefined();
  expect(after).not.toBe(before);
  await untilPushed(stack, 60_000);
  expect(await ssfHealth(stack)).toMatchObject({ pushed: true, streamRegistered: true, streamHealthy: true });

  // Pushed again: an admin sign-out reaches Strapi on the new stream.
  const user = await fixture.newUser("ssf-stream-vanished");
  const tokens = await tokensFor(stack, user.email, user.password);
  expect((await callCms(stack, "/api/notes", { token: tokens.access_token })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const health = await ssfHealth(stack);
  await fixture.admin.logoutUser(user);
  await expect
    .poll(async () => (await ssfHealth(stack)).lastRevocationAt, { timeout: 10_000 })
    .not.toBe(health.lastRevocationAt);
  expect((await callCms(stack, "/api/notes", { token: tokens.access_token })).status).toBe(401);
}, 330_000);
