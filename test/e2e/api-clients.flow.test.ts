// Issue 13 in real Chromium: a native app's code + PKCE sign-in with an RFC 8252
// loopback redirect, then the Strapi API with its token. (The CLI's device flow:
// cli-device-flow.flow.test.ts.)
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { onKeycloakLoginForm, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
const tokenUrl = `${stack.issuer}/protocol/openid-connect/token`;

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
