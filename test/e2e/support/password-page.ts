// Keycloak's "update password" page: after a reset link, after confirming a
// new account's email, and for kc_action=UPDATE_PASSWORD.
import type { Page } from "playwright-core";

export async function onPasswordPage(page: Page): Promise<boolean> {
  return (await page.locator("#kc-passwd-update-form").count()) > 0;
}

export async function chooseNewPassword(page: Page, password: string): Promise<void> {
  await page.locator("#kc-passwd-update-form").waitFor();
  await page.locator("#password-new").fill(password);
  await page.locator("#password-confirm").fill(password);
  await page.locator("#kc-submit").click();
}
