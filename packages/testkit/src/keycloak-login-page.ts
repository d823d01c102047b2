// Drives Keycloak's hosted login page in a real browser.
import type { Page } from "playwright-core";

/** True when the page shows Keycloak's username/password form. */
export async function onKeycloakLoginForm(page: Page, issuer: string): Promise<boolean> {
  return page.url().startsWith(`${issuer}/`) && (await page.locator("#kc-form-login").count()) > 0;
}

/** Fills and submits Keycloak's login form; the page must be showing it. */
export async function submitKeycloakLogin(page: Page, email: string, password: string): Promise<void> {
  await page.locator("#username").fill(email);
  await page.locator("#password").fill(password);
  await page.locator("#kc-login").click();
}

/**
 * Submits Keycloak's login form and waits until the browser is back on
 * `landing`; on failure the error says where it ended and what that page said.
 */
export async function signInThroughKeycloak(page: Page, email: string, password: string, landing: string, timeoutMs = 30_000): Promise<void> {
  await submitKeycloakLogin(page, email, password);
  try {
    await page.waitForURL(landing, { timeout: timeoutMs });
  } catch {
    const heading = await page.locator("h1, #input-error, [class*=alert]").allTextContents().catch(() => []);
    throw new Error(`sign-in of ${email} did not land on ${landing}: the browser is at ${page.url()} showing ${JSON.stringify(heading)}`);
  }
}
