// Issue 5: nothing token-like reaches the browser. Every response the web app
// sends during a session — documents, RSC payloads, server-action results,
// /api/auth/session, redirects and their cookies — is scanned for Keycloak's
// JWTs. Sign-out is left out on purpose: its redirect to Keycloak carries the
// ID token as `id_token_hint`, which RP-initiated logout requires.
import type { Response } from "playwright-core";
import { expect, it } from "vitest";
import { findTokens } from "@stack/testkit/token-scan";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;

it("no response of a whole session carries an access, refresh or ID token", async () => {
  const user = await journey.newUser("token-scan");
  const page = await journey.newPage();
  const scanned: Promise<{ url: string; findings: string[] }>[] = [];
  page.on("response", (response: Response) => {
    if (!response.url().startsWith(stack.webUrl)) return;
    scanned.push(
      (async () => {
        const headers = Object.entries(await response.allHeaders()).map(([name, value]) => `${name}: ${value}`).join("\n");
        // Redirect bodies are not readable; their headers are what matters.
        const body = response.status() >= 300 && response.status() < 400 ? "" : await response.text().catch(() => "");
        return { url: response.url(), findings: findTokens(`${headers}\n${body}`) };
      })(),
    );
  });

  await journey.signInFromHome(page, user);

  await page.getByLabel("Title").fill("scan me");
  await page.getByLabel("Body").fill("first version");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.getByRole("link", { name: "Edit scan me" }).click();
  await page.waitForURL(/\/notes\/.+\/edit$/);
  await page.getByLabel("Body").fill("second version");
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("note-body").allTextContents()).toContain("second version");
  await page.getByRole("button", { name: "Delete scan me" }).click();
  await expect.poll(() => page.getByTestId("note-title").allTextContents()).not.toContain("scan me");

  for (const link of ["Articles", "Account", "Home", "Notes"]) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await page.waitForLoadState("networkidle");
  }
  await page.goto(`${stack.webUrl}/account`);
  const sessionJson = await page.evaluate(async () => (await fetch("/api/auth/session")).text());
  const scriptVisible = await page.evaluate(() => [document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join("\n"));

  const results = await Promise.all(scanned);
  expect(results.length).toBeGreaterThan(20);
  expect(results.filter((result) => result.findings.length > 0)).toEqual([]);
  expect(findTokens(sessionJson)).toEqual([]);
  expect(JSON.parse(sessionJson)).toEqual({ user: { name: user.name, email: user.email }, expires: expect.any(String) });
  // The session cookie is HttpOnly: scripts see no session at all.
  expect(scriptVisible).not.toMatch(/session-token/);
  expect(findTokens(scriptVisible)).toEqual([]);
});
