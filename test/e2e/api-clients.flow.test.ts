// Issue 13 in real Chromium: a native app's code + PKCE sign-in with an RFC 8252
// loopback redirect, and the CLI's device flow approved on Keycloak's device
// page; each then calls the Strapi API with what it got (the CLI with
// DPoP-bound tokens and a proof per request).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { onKeycloakLoginForm, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
const tokenUrl = `${stack.issuer}/protocol/openid-connect/token`;

async function proof(key: { privateKey: CryptoKey; jwk: JWK }, htm: string, htu: string, accessToken?: string): Promise<string> {
  const claims: Record<string, unknown> = { htm, htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) };
  if (accessToken) claims.ath = createHash("sha256").update(accessToken).digest("base64url");
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk }).sign(key.privateKey);
}

it("a mobile app signs in with code + PKCE on a loopback redirect, then reads and writes notes", async () => {
  const codes: URL[] = [];
  const server = createServer((request, response) => {
    codes.push(new URL(request.url ?? "/", "http://127.0.0.1"));
    response.end("You can close this window.");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/callback`;
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(16).toString("base64url");
    const authorize = new URL(`${stack.issuer}/protocol/openid-connect/auth`);
    authorize.search = new URLSearchParams({
      client_id: "mobile",
      response_type: "code",
      scope: "openid notes:read notes:write",
      redirect_uri: redirectUri,
      state,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();

    const page = await journey.newPage();
    await page.goto(authorize.toString());
    expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);
    await submitKeycloakLogin(page, "alice@example.com", "alice-demo-password");
    await expect.poll(() => codes.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.context().close();

    const callback = codes[0]!;
    expect(callback.searchParams.get("state")).toBe(state);
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: "mobile", code: callback.searchParams.get("code")!, code_verifier: verifier, redirect_uri: redirectUri }),
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { access_token: string; refresh_token: string };

    const title = `From the phone ${randomUUID().slice(0, 8)}`;
    const headers = { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" };
    expect((await fetch(`${stack.cmsUrl}/api/notes`, { method: "POST", headers, body: JSON.stringify({ data: { title, body: "b" } }) })).status).toBe(201);
    const list = (await (await fetch(`${stack.cmsUrl}/api/notes`, { headers })).json()) as { data: { title: string }[] };
    expect(list.data.map((note) => note.title)).toContain(title);
  } finally {
    server.close();
  }
});

it("the CLI's device flow is approved on Keycloak's device page, then notes go through the API with DPoP", async () => {
  const pair = await generateKeyPair("ES256");
  const key = { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
  const start = await fetch(`${stack.issuer}/protocol/openid-connect/auth/device`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: "cli", scope: "openid notes:read notes:write" }),
  });
  expect(start.status).toBe(200);
  const device = (await start.json()) as { device_code: string; user_code: string; verification_uri_complete: string; interval: number };

  const page = await journey.newPage();
  await page.goto(device.verification_uri_complete);
  // The complete URI carries the user code; some Keycloak versions still ask to confirm it.
  if ((await page.locator("#device-user-code").count()) > 0) await page.locator("input[type=submit]").first().click();
  await page.waitForSelector("#kc-form-login", { timeout: 30_000 });
  await submitKeycloakLogin(page, "alice@example.com", "alice-demo-password");
  // Keycloak may ask for consent to the device's scopes (a form with an `accept` button) before it confirms.
  await expect.poll(async () => (await page.content()).toLowerCase(), { timeout: 30_000 }).toMatch(/name="accept"|successful/);
  if ((await page.locator('input[name="accept"]').count()) > 0) await page.locator('input[name="accept"]').click();
  await expect.poll(async () => (await page.content()).toLowerCase(), { timeout: 30_000 }).toMatch(/successful/);
  await page.context().close();

  let tokens: { access_token?: string; token_type?: string; error?: string } = {};
  for (let attempt = 0; attempt < 30; attempt++) {
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", dpop: await proof(key, "POST", tokenUrl) },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: "cli", device_code: device.device_code }),
    });
    tokens = (await response.json()) as typeof tokens;
    if (tokens.access_token) break;
    expect(["authorization_pending", "slow_down"]).toContain(tokens.error);
    await new Promise((resolve) => setTimeout(resolve, Math.max(device.interval, 1) * 1000));
  }
  const accessToken = tokens.access_token!;
  expect(tokens.token_type?.toLowerCase()).toBe("dpop");

  const notesUrl = `${stack.cmsUrl}/api/notes`;
  const title = `From the terminal ${randomUUID().slice(0, 8)}`;
  const add = await fetch(notesUrl, {
    method: "POST",
    headers: { authorization: `DPoP ${accessToken}`, dpop: await proof(key, "POST", notesUrl, accessToken), "content-type": "application/json" },
    body: JSON.stringify({ data: { title, body: "b" } }),
  });
  expect(add.status).toBe(201);
  const list = await fetch(notesUrl, { headers: { authorization: `DPoP ${accessToken}`, dpop: await proof(key, "GET", notesUrl, accessToken) } });
  expect(list.status).toBe(200);
  expect(((await list.json()) as { data: { title: string }[] }).data.map((note) => note.title)).toContain(title);
  // The same token without its proof, or as Bearer, is refused.
  expect((await fetch(notesUrl, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
});
