// An authenticator app and recovery codes, set up from the account page on
// Keycloak's own pages, then used for level 2 (acr `second-factor`, asked for
// with acr_values, docs/strong-authentication.md): the secret is read from
// Keycloak's set-up page and the codes computed here (RFC 6238). A wrong code
// is refused; a recovery code works once.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { freshTotp } from "@stack/testkit/totp";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { followMailLink } from "./support/mail-link.ts";
import { chooseNewPassword } from "./support/password-page.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;
let user: DisposableUser;
let secret: string;
const usedSteps = new Set<number>();
let recoveryCodes: string[] = [];

beforeAll(async () => {
  user = await journey.newUser("totp");
});

// Runs before the fixture deletes the user: lifts a lock a failed test left behind.
afterAll(async () => {
  if (user) await journey.admin.client.attackDetection.del({ realm: stack.realm, id: user.id }).catch(() => undefined);
});

/**
 * Opens Keycloak's authorization endpoint for the web client asking for
 * `acr_values`, signs in with the password, and leaves the page wherever
 * Keycloak goes next. `finish()` waits for the redirect to the app's callback
 * and exchanges its code, returning the ID token's claims.
 */
async function startLevel2SignIn(page: Page) {
  const verifier = randomBytes(32).toString("base64url");
  const redirectUri = `${stack.webUrl}/api/auth/callback/keycloak`;
  const isCallback = (url: string) => url.startsWith(`${redirectUri}?`);
  // Keycloak redirects to the app's callback; the code is read from that request (the app's own
  // callback then refuses it: no sign-in of its own was started, so it exchanges nothing).
  const callback = page.waitForRequest((request) => isCallback(request.url()), { timeout: 60_000 });
  // Awaited in finish(); a journey that must not reach the callback never awaits it.
  callback.catch(() => undefined);
  const query = new URLSearchParams({
    client_id: "web",
    response_type: "code",
    scope: "openid",
    redirect_uri: redirectUri,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    acr_values: "second-factor",
  });
  await page.goto(`${stack.issuer}/protocol/openid-connect/auth?${query}`);
  await page.locator("#username").fill(user.email);
  await page.locator("#password").fill(user.password);
  await page.locator("#kc-login").click();
  return {
    async finish(): Promise<Record<string, unknown>> {
      const code = new URL((await callback).url()).searchParams.get("code");
      expect(code).toBeTruthy();
      const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: code!,
          redirect_uri: redirectUri,
          code_verifier: verifier,
          client_id: "web",
          client_secret: stack.webClientSecret,
        }),
      });
      expect(response.status).toBe(200);
      const { id_token } = (await response.json()) as { id_token: string };
      return JSON.parse(Buffer.from(id_token.split(".")[1]!, "base64url").toString());
    },
  };
}

it("sets up an authenticator app from the account page; a wrong first code is refused", async () => {
  const page = await journey.signedInOnAccountPage(user);
  await expect.poll(() => page.getByTestId("credential-otp").getAttribute("data-count")).toBe("0");
  await page.getByTestId("configure-totp").click();
  await page.locator("#mode-manual").click();
  secret = (await page.locator("#kc-totp-secret-key").textContent())!.trim();
  expect(secret.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{16,}$/);

  await page.locator("#totp").fill("000000" === (await freshTotp(secret, new Set())) ? "111111" : "000000");
  await page.locator("#saveTOTPBtn").click();
  await expect.poll(() => page.locator("#input-error-otp-code").textContent()).toContain("Invalid authenticator code");

  await page.locator("#totp").fill(await freshTotp(secret, usedSteps));
  await page.locator("#saveTOTPBtn").click();
  await page.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("credential-otp").getAttribute("data-count")).toBe("1");
});

it("creates recovery codes from the account page", async () => {
  const page = await journey.signedInOnAccountPage(user);
  await page.getByTestId("recovery-codes").click();
  // Keycloak may first ask for the existing second factor (a credential action needs the person's highest level).
  await page.locator("#otp, #kc-recovery-codes-list li").first().waitFor();
  if (await page.locator("#otp").isVisible()) {
    await page.locator("#otp").fill(await freshTotp(secret, usedSteps));
    await page.locator("#kc-login").click();
  }
  await page.locator("#kc-recovery-codes-list li").first().waitFor();
  recoveryCodes = (await page.locator("#kc-recovery-codes-list li").allTextContents()).map((text) => text.trim());
  expect(recoveryCodes.length).toBeGreaterThanOrEqual(10);
  await page.locator("#kcRecoveryCodesConfirmationCheck").check();
  await page.locator("#saveRecoveryAuthnCodesBtn").click();
  await page.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("credential-recovery-authn-codes").getAttribute("data-count")).toBe("1");
  const credentials = await journey.admin.client.users.getCredentials({ realm: stack.realm, id: user.id });
  expect(credentials.map((credential) => credential.type).sort().join(",")).toBe("otp,password,recovery-authn-codes");
});

it("level 2: password, then the app's code; a wrong code is refused first; the ID token says second-factor", async () => {
  const page = await journey.newPage();
  const signIn = await startLevel2SignIn(page);
  await page.locator("#otp").waitFor();
  await page.locator("#otp").fill("000000" === (await freshTotp(secret, new Set())) ? "111111" : "000000");
  await page.locator("#kc-login").click();
  await expect.poll(() => page.locator("#input-error-otp").textContent()).toContain("Invalid authenticator code");
  await page.locator("#otp").fill(await freshTotp(secret, usedSteps));
  await page.locator("#kc-login").click();
  expect((await signIn.finish()).acr).toBe("second-factor");
});

it("level 2 with a recovery code: it works once, and the same code again is refused", async () => {
  let used: string | undefined;
  for (const attempt of ["first", "again"] as const) {
    const page = await journey.newPage();
    const signIn = await startLevel2SignIn(page);
    await page.locator("#try-another-way").click();
    await page.getByRole("button", { name: /Recovery Authentication Code/ }).click();
    const prompt = (await page.locator("label[for=recoveryCodeInput]").textContent()) ?? "";
    const number = Number(/#(\d+)/.exec(prompt)?.[1]);
    used ??= recoveryCodes[number - 1];
    expect(used).toBeDefined();
    await page.locator("#recoveryCodeInput").fill(used!);
    await page.locator("#kc-login").click();
    if (attempt === "first") {
      expect((await signIn.finish()).acr).toBe("second-factor");
    } else {
      // Keycloak asks for the next code; the used one is refused.
      await expect.poll(() => page.locator("body").textContent()).toMatch(/Invalid recovery authentication code|Recovery code #/);
      expect(page.url()).not.toContain("/api/auth/callback/keycloak");
    }
  }
});

it("a plain sign-in does not ask for the second factor (level 1, acr password)", async () => {
  const page = await journey.newPage();
  await journey.signInFromHome(page, user);
  await page.goto(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
});

it("wrong codes count towards brute-force protection: past the realm's limit the account is locked, and then the right code is refused with a clear message", async () => {
  const { client } = journey.admin;
  const lockStatus = async () => (await client.attackDetection.findOne({ realm: stack.realm, id: user.id })) as { disabled: boolean };
  const failureFactor = (await client.realms.findOne({ realm: stack.realm }))!.failureFactor!;
  const wrong = "000000" === (await freshTotp(secret, new Set())) ? "111111" : "000000";
  const page = await journey.newPage();
  const signIn = await startLevel2SignIn(page);
  await page.locator("#otp").waitFor();
  const submit = async (code: string) => {
    const answered = page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/login-actions/"));
    await page.locator("#otp").fill(code);
    await page.locator("#kc-login").click();
    await answered;
    await page.locator("#otp").waitFor();
  };
  let attempts = 0;
  while (!(await lockStatus()).disabled) {
    expect(attempts, "the account was not locked after failureFactor wrong codes").toBeLessThan(failureFactor);
    attempts += 1;
    await submit(wrong);
  }
  expect(attempts).toBeGreaterThanOrEqual(2);

  const right = await freshTotp(secret, usedSteps);
  await submit(right);
  await expect.poll(() => keycloakMessages(page)).toMatch(/too many failed sign-in attempts/i);
  expect(page.url().startsWith(stack.webUrl)).toBe(false);

  // Released (by an admin here; by itself after the wait), the same code finishes the sign-in:
  // while locked Keycloak did not even check it.
  await client.attackDetection.del({ realm: stack.realm, id: user.id });
  await page.locator("#otp").fill(right);
  await page.locator("#kc-login").click();
  expect((await signIn.finish()).acr).toBe("second-factor");
});

it("forgot password by mail asks for the app's code before the new password, and keeps the authenticator app", async () => {
  const page = await journey.newPage();
  await page.goto(`${stack.webUrl}/notes`);
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await page.locator("a[href*='/login-actions/reset-credentials']").click();
  await page.locator("#kc-reset-password-form").waitFor();
  const asked = new Date();
  await page.locator("#username").fill(user.email);
  await page.locator("#kc-reset-password-form [type=submit]").click();
  await expect.poll(() => keycloakMessages(page)).toMatch(/you should receive an email/i);

  await followMailLink(page, { inbox, to: user.email, subject: /reset password/i, since: asked });
  // The mailbox alone is not enough: the second factor comes before the new password.
  await page.locator("#otp").waitFor();
  await page.locator("#otp").fill("000000" === (await freshTotp(secret, new Set())) ? "111111" : "000000");
  await page.locator("#kc-login").click();
  await expect.poll(() => page.locator("#input-error-otp").textContent()).toContain("Invalid authenticator code");
  await page.locator("#otp").fill(await freshTotp(secret, usedSteps));
  await page.locator("#kc-login").click();
  await chooseNewPassword(page, `pw-${randomBytes(8).toString("hex")}-reset`);
  await page.waitForURL(`${stack.webUrl}/notes`);

  const credentials = await journey.admin.client.users.getCredentials({ realm: stack.realm, id: user.id });
  expect(credentials.map((credential) => credential.type)).toContain("otp");
});
