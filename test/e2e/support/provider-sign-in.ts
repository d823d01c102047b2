// Signing in through one of the dev overlay's mock providers from the web app:
// the provider button (kc_idp_hint) goes straight to the provider's login page.
import type { Page } from "playwright-core";
import type { StackEnv } from "@stack/testkit/stack-env";
import type { MockProviderAccount } from "./mock-provider-accounts.ts";

export async function signInWithProvider(page: Page, stack: StackEnv, account: MockProviderAccount): Promise<void> {
  await page.goto(`${stack.webUrl}/`);
  await page.getByTestId(`sign-in-with-${account.provider.alias}`).click();
  await submitProviderLogin(page, stack, account);
}

/** Fills the provider's own login page (a realm of the same Keycloak) once the browser is on it. */
export async function submitProviderLogin(page: Page, stack: StackEnv, account: MockProviderAccount): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${stack.keycloakUrl}/realms/${account.provider.realm}/`));
  await page.locator("#username").fill(account.email);
  await page.locator("#password").fill(account.password);
  await page.locator("#kc-login").click();
}

/** Keycloak's "Account already exists" page of the first-broker-login flow. */
export async function onConfirmLinkPage(page: Page): Promise<boolean> {
  await page.waitForLoadState("load");
  return (await page.locator("#linkAccount").count()) > 0;
}

export async function signOutOfApp(page: Page, stack: StackEnv): Promise<void> {
  await page.getByTestId("sign-out").first().click();
  await page.waitForURL(`${stack.webUrl}/`);
}
