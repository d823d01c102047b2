// The whole registration journey (journey 1) as a step for other journeys:
// Register button → Keycloak's form → confirmation mail → password → /notes.
import type { Page } from "playwright-core";
import type { MailInbox } from "@stack/testkit/mail-inbox";
import type { StackEnv } from "@stack/testkit/stack-env";
import { followMailLink } from "./mail-link.ts";
import { chooseNewPassword } from "./password-page.ts";
import { submitRegistration, type Person } from "./registration-page.ts";

export async function registerThroughApp(page: Page, stack: StackEnv, inbox: MailInbox, person: Person, password: string): Promise<void> {
  await page.goto(`${stack.webUrl}/`);
  await page.getByTestId("register").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  const registered = new Date();
  await submitRegistration(page, person);
  await followMailLink(page, { inbox, to: person.email, subject: /verify email/i, since: registered });
  await chooseNewPassword(page, password);
  await page.waitForURL(`${stack.webUrl}/notes`);
}
