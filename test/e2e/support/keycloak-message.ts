// The messages Keycloak's page shows (alerts and field errors), whitespace folded.
import type { Page } from "playwright-core";

export async function keycloakMessages(page: Page): Promise<string> {
  const texts = await page.locator(".pf-v5-c-alert__title, [id^=input-error], .kc-feedback-text, #kc-page-title, #kc-error-message").allTextContents();
  return texts.map((text) => text.replace(/\s+/g, " ").trim()).filter(Boolean).join(" | ");
}
