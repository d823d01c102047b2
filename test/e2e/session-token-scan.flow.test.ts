// Issue 5: nothing token-like reaches the browser. Every response the web app
// sends during a session — documents, RSC payloads, server-action results,
// /api/auth/session, redirects and their cookies — is scanned for Keycloak's
// JWTs. Sign-out is left out on purpose: its redirect to Keycloak carries the
// ID token as `id_token_hint`, which RP-initiated logout requires.
import type { Browser, Response } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { signInThroughKeycloak } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";
import { findTokens } from "../../infra/src/testing/token-scan.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let user: DisposableUser;
let browser: Browser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  user = await admin.createUser("token-scan");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await admin?.deleteUser(user);
});

it("no response of a whole session carries an access, refresh or ID token", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
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

  await page.goto(stack.webUrl);
  await page.getByTestId("home-sign-in").click();
  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);

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
