// A passkey, added from the account page on Keycloak's own registration page
// (the application-initiated action webauthn-register-passwordless), then
// used on another device to sign in with no password. Chromium's virtual
// authenticator (DevTools protocol) stands in for the device: a platform
// authenticator with user verification, like a phone or laptop. The other
// device gets a copy of the same credential, as a synced passkey would.
import { beforeAll, expect, it } from "vitest";
import type { CDPSession, Page } from "playwright-core";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
let user: DisposableUser;
let passkey: object | undefined;

beforeAll(async () => {
  user = await journey.newUser("passkey");
});

/** A virtual platform authenticator in the page's browser context, answering every request with the person's consent. */
async function withAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

it("adds a passkey from the account page; Keycloak stores it as a discoverable passkey and the account page counts it", async () => {
  const page = await journey.signedInOnAccountPage(user);
  const { cdp, authenticatorId } = await withAuthenticator(page);
  await expect.poll(() => page.getByTestId("credential-webauthn-passwordless").getAttribute("data-count")).toBe("0");
  // Keycloak's page asks for a name for the passkey once the browser made it.
  page.on("dialog", (dialog) => void dialog.accept("Test laptop"));
  await page.getByTestId("add-passkey").click();
  await page.locator("#registerWebAuthn").click();
  await page.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("credential-webauthn-passwordless").getAttribute("data-count")).toBe("1");

  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  // The realm asks for a discoverable credential ("required"): what lets it sign in with no user name.
  expect(credentials[0]!.isResidentCredential).toBe(true);
  passkey = credentials[0];
  const stored = await journey.admin.client.users.getCredentials({ realm: stack.realm, id: user.id });
  expect(stored.find((credential) => credential.type === "webauthn-passwordless")?.userLabel).toBe("Test laptop");
});

it("signs in on another device with the passkey and no password, and lands signed in in the app", async () => {
  expect(passkey).toBeDefined();
  const page = await journey.newPage();
  const { cdp, authenticatorId } = await withAuthenticator(page);
  await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: passkey as never });

  // Keycloak's sign-in page asks the browser for a passkey as it loads (passkey autofill,
  // conditional mediation); the virtual authenticator answers at once, as a person picking
  // the offered passkey would. What reaches Keycloak is the passkey's signature, no password.
  const answer = page.waitForRequest((request) => request.method() === "POST" && request.url().startsWith(`${stack.issuer}/login-actions/authenticate`));
  await page.goto(stack.webUrl);
  await page.getByTestId("home-sign-in").click();
  const form = new URLSearchParams((await answer).postData() ?? "");
  expect(form.get("authenticatorData")).toBeTruthy();
  expect(form.get("userHandle")).toBeTruthy();
  expect(form.has("password")).toBe(false);

  await page.waitForURL(`${stack.webUrl}/notes`);
  await page.goto(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
});
