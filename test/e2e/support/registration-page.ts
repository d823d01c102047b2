// Keycloak's registration page (keycloak.v2 theme, email as username).
import type { Page } from "playwright-core";

export interface Person {
  email: string;
  firstName: string;
  lastName: string;
}

/** True when the page shows a password field: Keycloak 26 leaves it out while email verification is on. */
export async function registrationAsksForPassword(page: Page): Promise<boolean> {
  return (await page.locator("#kc-register-form input[type=password]").count()) > 0;
}

export async function submitRegistration(page: Page, person: Person): Promise<void> {
  await page.locator("#kc-register-form").waitFor();
  await page.locator("#email").fill(person.email);
  await page.locator("#firstName").fill(person.firstName);
  await page.locator("#lastName").fill(person.lastName);
  await page.locator("#kc-register-form [type=submit]").click();
}
