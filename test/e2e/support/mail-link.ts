// Opens the action link of a message Keycloak sent, in the given browser page:
// the way a person clicks the link in their mail client in the same browser.
import type { Page } from "playwright-core";
import { MailInbox } from "@stack/testkit/mail-inbox";

export interface MailLinkOptions {
  inbox: MailInbox;
  to: string;
  subject: RegExp;
  /** Only messages that arrived after this moment (set it just before the step that sends the mail). */
  since: Date;
  /** Ids of messages to pass over: those already there before the step. */
  ignore?: readonly string[];
}

/** Waits for the message, opens its Keycloak action link, and returns that link. */
export async function followMailLink(page: Page, options: MailLinkOptions): Promise<string> {
  const mail = await options.inbox.waitFor(options.to, options.subject, { since: options.since, ignore: options.ignore });
  const link = MailInbox.link(mail, /\/login-actions\/action-token\?/);
  await page.goto(link);
  return link;
}
