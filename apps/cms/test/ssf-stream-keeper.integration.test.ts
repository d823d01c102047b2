// The stream keeper against the real Keycloak transmitter: a stream deleted
// there (through the SSF API, as an operator or the admin console would) is
// registered again by Strapi, and pushes resume on the new stream. The keeper
// notices at its next verification request (KEYCLOAK_SSF_VERIFY_INTERVAL_SECONDS,
// 120 s by default), which Keycloak refuses for the vanished stream; until then
// the revocation check follows its usual health rules. The unit test
// (ssf-stream-keeper.unit.test.ts) covers the timing cases.
import { beforeAll, expect, it } from "vitest";
import { stackEnv } from "@stack/testkit/stack-env";
import { ssfHealth, untilPushed } from "./support/ssf-receiver.ts";

const stack = stackEnv();

beforeAll(async () => {
  await untilPushed(stack);
}, 120_000);

async function manageToken(): Promise<string> {
  const credentials = Buffer.from(`cms:${encodeURIComponent(stack.cmsClientSecret)}`).toString("base64");
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "ssf.manage ssf.read" }),
  });
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the cms client got no token (${response.status})`);
  return access_token;
}

async function streamIds(token: string): Promise<string[]> {
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { stream_id?: string }[] | { stream_id?: string };
  return (Array.isArray(body) ? body : [body]).map((stream) => stream.stream_id).filter((id): id is string => typeof id === "string");
}

it("a stream deleted in Keycloak is registered again by the keeper, and the new stream is verified", async () => {
  const token = await manageToken();
  const [before] = await streamIds(token);
  expect(before).toBeDefined();
  const healthBefore = await ssfHealth(stack);
  const deleted = await fetch(`${stack.issuer}/ssf/transmitter/streams?stream_id=${encodeURIComponent(before!)}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
  expect([200, 204]).toContain(deleted.status);
  expect(await streamIds(token)).toEqual([]);
  const start = Date.now();

  // Up to the verification interval (120 s) until the keeper's next request, then a re-registration and a verification.
  const deadline = start + 240_000;
  let after: string | undefined;
  let health = healthBefore;
  while (Date.now() < deadline) {
    [after] = await streamIds(await manageToken());
    health = await ssfHealth(stack);
    if (after !== undefined && after !== before && health.streamHealthy && health.lastVerificationAt !== healthBefore.lastVerificationAt) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.info(`stream re-registered and verified ${Date.now() - start} ms after its deletion`);
  expect(after).toBeDefined();
  expect(after).not.toBe(before);
  expect(health).toMatchObject({ mode: "ssf", streamRegistered: true, streamHealthy: true, pushed: true });
}, 300_000);
