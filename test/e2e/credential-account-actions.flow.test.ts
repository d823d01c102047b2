// The account page's Keycloak actions besides the password: update profile
// (kc_action=UPDATE_PROFILE) and link another sign-in method
// (kc_action=idp_link:<alias>). Both happen on Keycloak's pages and come back
// to the account page signed in.
import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { mockGitHub } from "@stack/runner/keycloak/mock-identity-providers";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { journeyFixture } from "./support/journey-fixture.ts";
import { signOutOfApp, submitProviderLogin } from "./support/provider-sign-in.ts";

const journey = journeyFixture();
const { stack } = journey;
let user: DisposableUser;

beforeAll(async () => {
  user = await journey.newUser("account-actions");
});

it("Update profile: Keycloak's profile page, then back on the account page with the new name", async () => {
  const page = await journey.signedInOnAccountPage(user);
  await page.getByTestId("update-profile").click();
  await page.locator("#firstName").waitFor();
  await page.locator("#firstName").fill("Renamed");
  await page.locator("[type=submit]").first().click();
  await page.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-name").textContent()).toBe(`Renamed ${user.name.split(" ").slice(1).join(" ")}`);
  expect((await journey.admin.client.users.findOne({ realm: stack.realm, id: user.id }))?.firstName).toBe("Renamed");
});

it("Link GitHub (mock): confirm on Keycloak's page, sign in at GitHub, linked; GitHub then signs this person in", async () => {
  const upstream = await journey.newProviderAccount(mockGitHub, {
    // A different address at GitHub: linking from a signed-in account does not need matching emails.
    email: `elsewhere-${randomUUID().slice(0, 8)}@example.test`,
    firstName: "Other",
    lastName: "Address",
  });
  const page = await journey.signedInOnAccountPage(user);
  await page.getByTestId(`link-${mockGitHub.alias}`).click();
  await page.locator("#kc-continue").click();
  await submitProviderLogin(page, stack, upstream);
  await page.waitForURL(`${stack.webUrl}/account`);

  const links = await journey.admin.client.users.listFederatedIdentities({ realm: stack.realm, id: user.id });
  expect(links.map((link) => [link.identityProvider, link.userName])).toEqual([[mockGitHub.alias, upstream.email]]);

  await signOutOfApp(page, stack);
  await page.getByTestId(`sign-in-with-${mockGitHub.alias}`).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await page.goto(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
});
