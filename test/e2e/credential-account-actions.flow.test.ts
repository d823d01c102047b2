// The account page's Keycloak actions besides the password: update profile
// (kc_action=UPDATE_PROFILE) and link another sign-in method
// (kc_action=idp_link:<alias>). Both happen on Keycloak's pages and come back
// to the account page signed in.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mockGitHub } from "../../infra/src/keycloak/mock-identity-providers.ts";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { signInThroughKeycloak } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { createMockProviderAccount, type MockProviderAccount } from "./support/mock-provider-accounts.ts";
import { signOutOfApp, submitProviderLogin } from "./support/provider-sign-in.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let browser: Browser;
let user: DisposableUser;
let upstream: MockProviderAccount | undefined;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  browser = await launchBrowser();
  user = await admin.createUser("account-actions");
});

afterAll(async () => {
  await browser?.close();
  await upstream?.remove();
  if (user) await admin.deleteUser(user);
});

async function accountPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.webUrl}/account`);
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
  return page;
}

it("Update profile: Keycloak's profile page, then back on the account page with the new name", async () => {
  const page = await accountPage();
  await page.getByTestId("update-profile").click();
  await page.locator("#firstName").waitFor();
  await page.locator("#firstName").fill("Renamed");
  await page.locator("[type=submit]").first().click();
  await page.waitForURL(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-name").textContent()).toBe(`Renamed ${user.name.split(" ").slice(1).join(" ")}`);
  expect((await admin.client.users.findOne({ realm: stack.realm, id: user.id }))?.firstName).toBe("Renamed");
});

it("Link GitHub (mock): confirm on Keycloak's page, sign in at GitHub, linked; GitHub then signs this person in", async () => {
  upstream = await createMockProviderAccount(admin.client, mockGitHub, {
    // A different address at GitHub: linking from a signed-in account does not need matching emails.
    email: `elsewhere-${randomUUID().slice(0, 8)}@example.test`,
    firstName: "Other",
    lastName: "Address",
  });
  const page = await accountPage();
  await page.getByTestId(`link-${mockGitHub.alias}`).click();
  await page.locator("#kc-continue").click();
  await submitProviderLogin(page, stack, upstream);
  await page.waitForURL(`${stack.webUrl}/account`);

  const links = await admin.client.users.listFederatedIdentities({ realm: stack.realm, id: user.id });
  expect(links.map((link) => [link.identityProvider, link.userName])).toEqual([[mockGitHub.alias, upstream.email]]);

  await signOutOfApp(page, stack);
  await page.getByTestId(`sign-in-with-${mockGitHub.alias}`).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await page.goto(`${stack.webUrl}/account`);
  await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
});
