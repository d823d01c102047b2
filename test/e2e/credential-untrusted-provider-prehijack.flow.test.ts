// Issue 10, item 9: account pre-hijacking through a provider whose email
// Keycloak does not trust (GitHub, the mock). The attacker's GitHub account
// carries the victim's address; the attacker signs in with it once and stops.
// Later the victim takes the address over through the mailbox and uses the
// app. Whatever Keycloak did with the attacker's first sign-in, the attacker's
// GitHub identity must not be a way into the victim's account afterwards.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { mockGitHub } from "@stack/runner/keycloak/mock-identity-providers";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import type { MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { followMailLink } from "./support/mail-link.ts";
import { chooseNewPassword, onPasswordPage } from "./support/password-page.ts";
import { onConfirmLinkPage, signInWithProvider } from "./support/provider-sign-in.ts";
import { submitRegistration } from "./support/registration-page.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;
const victim = `prehijack-${randomUUID().slice(0, 8)}@example.test`;
journey.forgetEmail(victim);

/** GitHub button → the provider's login → back in the app realm, on whichever Keycloak page or app page that leads to. */
async function signInAsAttacker(page: Page, upstream: MockProviderAccount): Promise<void> {
  await signInWithProvider(page, stack, upstream);
  await page.waitForURL((url) => url.href.startsWith(stack.webUrl) || url.href.startsWith(`${stack.issuer}/login-actions/`));
  await page.waitForLoadState("load");
}

it("an attacker's GitHub account with the victim's email gives no way into the victim's account once the victim takes the address over", async () => {
  const admin = journey.admin.client;
  const upstream = await journey.newProviderAccount(mockGitHub, { email: victim, firstName: "Mallory", lastName: "Attacker" });

  // The attacker signs in with GitHub once and stops on whatever Keycloak shows.
  const attacker = await journey.newPage();
  await signInAsAttacker(attacker, upstream);
  expect(attacker.url().startsWith(stack.webUrl)).toBe(false);
  await expect.poll(() => keycloakMessages(attacker)).not.toBe("");

  // The victim wants an account for their address. They register; if Keycloak
  // says the address is taken, they take "Forgot password?" instead. Either
  // way only the mailbox gets them in. Mails caused by the attacker's steps
  // are passed over.
  const earlier = (await inbox.find(victim, /./)).map((mail) => mail.id);
  const page = await journey.newPage();
  await page.goto(`${stack.webUrl}/`);
  await page.getByTestId("register").click();
  const asked = new Date();
  await submitRegistration(page, { email: victim, firstName: "Victor", lastName: "Victim" });
  await expect.poll(() => keycloakMessages(page)).toMatch(/email verification|email already exists/i);
  if (/email already exists/i.test(await keycloakMessages(page))) {
    await journey.openSignInFromHome(page);
    await page.locator("a[href*='/login-actions/reset-credentials']").click();
    await page.locator("#kc-reset-password-form").waitFor();
    await page.locator("#username").fill(victim);
    await page.locator("#kc-reset-password-form [type=submit]").click();
    await followMailLink(page, { inbox, to: victim, subject: /reset password/i, since: asked, ignore: earlier });
    // Keycloak 26.7 may still want the address confirmed after the reset link.
    if (!(await onPasswordPage(page))) {
      await expect.poll(() => page.locator("#kc-page-title").textContent()).toMatch(/email verification/i);
      await followMailLink(page, { inbox, to: victim, subject: /verify email/i, since: asked, ignore: earlier });
    }
  } else {
    await followMailLink(page, { inbox, to: victim, subject: /verify email/i, since: asked, ignore: earlier });
  }
  await chooseNewPassword(page, `pw-${randomUUID()}`);
  await page.waitForURL(`${stack.webUrl}/notes`);
  await page.goto(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(victim);
  const [account] = await admin.users.find({ realm: stack.realm, email: victim, exact: true });
  expect(account).toMatchObject({ emailVerified: true });

  // The attacker signs in with GitHub again, in a fresh browser: Keycloak must
  // not let them into the victim's account. It may only ask them to prove
  // that account, which they cannot.
  const again = await journey.newPage();
  await signInAsAttacker(again, upstream);
  expect(again.url(), "the attacker's GitHub sign-in landed in the victim's account").not.toMatch(new RegExp(`^${stack.webUrl}`));
  expect(await onConfirmLinkPage(again)).toBe(true);
  await again.locator("#linkAccount").click();
  await expect.poll(() => keycloakMessages(again)).toContain("Authenticate to link your account with GitHub (mock)");
  await again.locator("#password").fill("the-password-the-attacker-guesses");
  await again.locator("#kc-login").click();
  await expect.poll(() => keycloakMessages(again)).toMatch(/invalid username or password/i);
  expect(again.url().startsWith(stack.webUrl)).toBe(false);

  expect(await admin.users.listFederatedIdentities({ realm: stack.realm, id: account!.id! })).toEqual([]);
});
