// The arrangement of the linking journeys (3 and 4): a person registers through
// the app, writes a note, and signs out, so a later sign-in through a provider
// meets an existing account that owns data in Strapi.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import type { MailInbox } from "@stack/testkit/mail-inbox";
import type { StackEnv } from "@stack/testkit/stack-env";
import { addNote } from "./notes-page.ts";
import { signOutOfApp } from "./provider-sign-in.ts";
import { registerThroughApp } from "./register-through-app.ts";
import type { Person } from "./registration-page.ts";
import { strapiViewOf, type StrapiView } from "./strapi-user.ts";

export interface RegisteredWithNote {
  password: string;
  noteTitle: string;
  /** What Strapi held for the account when it signed out. */
  strapi: StrapiView;
}

export async function registerWithNote(page: Page, stack: StackEnv, inbox: MailInbox, person: Person): Promise<RegisteredWithNote> {
  const password = `pw-${randomUUID()}`;
  await registerThroughApp(page, stack, inbox, person, password);
  const noteTitle = `before linking ${randomUUID().slice(0, 6)}`;
  await addNote(page, noteTitle);
  const strapi = await strapiViewOf(stack, person.email, password);
  await signOutOfApp(page, stack);
  return { password, noteTitle, strapi };
}
