// A real logout token from Keycloak, captured on its way to the web app: it
// is explicitly typed the way the web app requires (`typ: logout+jwt`), it
// carries exp, iat and jti, it ends the session, and the same token sent a
// second time is refused as a replay. The capture is a forwarder the test
// puts in front of the web app's back-channel logout URL for the web client,
// restoring the URL afterwards; the forwarder passes every call through, so
// nothing else notices it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb } from "@stack/testkit/web-session";

const stack = stackEnv();
const realm = realmFixture(stack);
const BACKCHANNEL_URL = "backchannel.logout.url";
const captured: { body: string; contentType: string; status: number }[] = [];
let forwarder: Server;
let restore: () => Promise<void> = async () => {};

beforeAll(async () => {
  forwarder = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const contentType = request.headers["content-type"] ?? "";
      const forwarded = await fetch(`${stack.webUrl}/api/auth/backchannel-logout`, { method: "POST", headers: { "content-type": contentType }, body });
      captured.push({ body, contentType, status: forwarded.status });
      response.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "text/plain" });
      response.end(await forwarded.text());
    });
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
  const { port } = forwarder.address() as AddressInfo;

  const { client } = realm.admin;
  const [web] = await client.clients.find({ realm: stack.realm, clientId: stack.webClientId });
  const original = web!.attributes?.[BACKCHANNEL_URL];
  await client.clients.update({ realm: stack.realm, id: web!.id! }, { ...web, attributes: { ...web!.attributes, [BACKCHANNEL_URL]: `http://127.0.0.1:${port}/capture` } });
  restore = async () => {
    const [current] = await client.clients.find({ realm: stack.realm, clientId: stack.webClientId });
    await client.clients.update({ realm: stack.realm, id: current!.id! }, { ...current, attributes: { ...current!.attributes, [BACKCHANNEL_URL]: original } });
  };
});

afterAll(async () => {
  await restore();
  await new Promise((resolve) => forwarder?.close(resolve));
});

it("Keycloak's logout token is typed logout+jwt, ends the session once, and is refused when replayed", async () => {
  const user = await realm.newUser("logout-token-replay");
  const session = await signInToWeb(stack, user.email, user.password);
  expect((await session.fetch("/account")).status).toBe(200);

  await realm.admin.logoutUser(user);
  await expect.poll(() => captured.length).toBeGreaterThan(0);
  const [first] = captured;
  expect(first!.status).toBe(200);
  expect((await session.fetch("/account")).status).toBe(307);

  const token = new URLSearchParams(first!.body).get("logout_token")!;
  expect(decodeProtectedHeader(token).typ).toBe("logout+jwt");
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ jti: expect.any(String), iat: expect.any(Number), exp: expect.any(Number) });
  expect([claims.aud].flat()).toContain(stack.webClientId);

  const replay = await fetch(`${stack.webUrl}/api/auth/backchannel-logout`, { method: "POST", headers: { "content-type": first!.contentType }, body: first!.body });
  expect(replay.status).toBe(400);
  expect(await replay.json()).toEqual({ error: "invalid_request", code: "logout_token_replayed" });
});
