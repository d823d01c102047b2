// The web app's notes page, as a signed-in person uses it.
import { expect } from "vitest";
import type { Page } from "playwright-core";

export async function addNote(page: Page, title: string): Promise<void> {
  const form = page.getByTestId("new-note-form");
  await form.locator("input[name=title]").fill(title);
  await form.getByRole("button", { name: "Add note" }).click();
  // The server action re-renders the page; on a loaded two-core machine that can take seconds.
  await expect.poll(() => page.getByTestId("note-title").allTextContents(), { timeout: 15_000 }).toContain(title);
}
