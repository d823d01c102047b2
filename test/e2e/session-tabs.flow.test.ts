// Every tab in step (issue 15): the tabs of one browser share the session
// cookie but each shows what it rendered last. A sign-out in one tab, or one
// made by Keycloak, moves every other open tab to the signed-out state when it
// gets focus or within seconds, once (no reload loop); a sign-in in one tab
// shows in the others. Two tabs that start sign-in at once both complete it
// (next-auth keeps one PKCE, state and nonce cookie per browser; ours are kept
// per attempt: docs/decisions/0111-tabs-in-step.md).
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { onKeycloakLoginForm, signInThroughKeycloak, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** Two tabs of one browser. */
async function twoTabs(): Promise<[Page, Page]> {
  context = await journey.browser.newContext();
  return [await context.newPage(), await context.newPage()];
}

/** Counts the tab's page loads from now on. */
function countLoads(page: Page): () => number {
  let loads = 0;
  page.on("load", () => loads++);
  return () => loads;
}

/** The tab shows the signed-out state: the header's "Sign in", no name. */
async function showsSignedOut(page: Page): Promise<boolean> {
  return (await page.getByTestId("sign-in").first().isVisible()) && (await page.getByTestId("signed-in-as").count()) === 0;
}

/** Lands the tab on /notes: by Keycloak carrying on by itself, or by submitting its form. */
async function completeSecondSignIn(page: Page, user: { email: string; password: string }): Promise<void> {
  const landing = `${stack.webUrl}/notes`;
  const deadline = Date.now() + 60_000;
  while (!page.url().startsWith(landing)) {
    if (Date.now() > deadline) throw new Error(`the second tab did not land on ${landing}: it is at ${page.url()}`);
    try {
      if (await onKeycloakLoginForm(page, stack.issuer)) await submitKeycloakLogin(page, user.email, user.password);
      await page.waitForURL(landing, { timeout: 5000 });
    } catch {
      // The page reloaded under the form (Keycloak carrying on): look again.
    }
  }
}

async function signedInInBothTabs(label: string): Promise<[Page, Page]> {
  const user = await journey.newUser(label);
  const [first, second] = await twoTabs();
  await journey.signInFromHome(first, user);
  await second.goto(`${stack.webUrl}/notes`);
  await expect.poll(() => second.getByTestId("signed-in-as").textContent()).toBe(user.name);
  return [first, second];
}

it("signing out in one tab moves the other tab to the signed-out state, once", async () => {
  const [first, second] = await signedInInBothTabs("tabs-sign-out");
  const loads = countLoads(second);
  await first.getByTestId("sign-out").click();
  await first.waitForURL(`${stack.webUrl}/`);
  await second.bringToFront();
  await expect.poll(() => showsSignedOut(second), { timeout: 15_000 }).toBe(true);
  await second.waitForURL(`${stack.webUrl}/session-ended**`, { waitUntil: "load" });
  // Settled: no further loads while the tab stays open.
  const settled = loads();
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  expect(loads()).toBe(settled);
  expect(settled).toBe(1);
});

it("Keycloak ends the session (an admin signs the user out): both tabs move to the signed-out state without a click", async () => {
  const user = await journey.newUser("tabs-admin-sign-out");
  const [first, second] = await twoTabs();
  await journey.signInFromHome(first, user);
  await second.goto(`${stack.webUrl}/articles`);
  await expect.poll(() => second.getByTestId("signed-in-as").textContent()).toBe(user.name);
  await journey.admin.logoutUser(user);
  await expect.poll(() => showsSignedOut(first), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => showsSignedOut(second), { timeout: 20_000 }).toBe(true);
});

it("signing in in one tab shows in the other tab, which was signed out", async () => {
  const user = await journey.newUser("tabs-sign-in");
  const [first, second] = await twoTabs();
  await second.goto(stack.webUrl);
  expect(await showsSignedOut(second)).toBe(true);
  await journey.signInFromHome(first, user);
  await second.bringToFront();
  await expect.poll(() => second.getByTestId("signed-in-as").textContent(), { timeout: 15_000 }).toBe(user.name);
});

it("two tabs start sign-in at once: both complete it, and both show the session", async () => {
  const user = await journey.newUser("tabs-two-sign-ins");
  const [first, second] = await twoTabs();
  for (const page of [first, second]) {
    await page.goto(`${stack.webUrl}/sign-in?returnTo=/notes`);
    await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  }
  await signInThroughKeycloak(first, user.email, user.password, `${stack.webUrl}/notes`);
  await expect.poll(() => first.getByTestId("signed-in-as").textContent()).toBe(user.name);
  // The second tab's Keycloak page notices the sign-in made in the other tab and
  // carries on by itself (Keycloak 26's login page does); before it does, the
  // person may submit it. Either way it completes its own attempt.
  await completeSecondSignIn(second, user);
  await expect.poll(() => second.getByTestId("signed-in-as").textContent()).toBe(user.name);
  await first.reload();
  await expect.poll(() => first.getByTestId("signed-in-as").textContent()).toBe(user.name);
  // Each callback cleared the cookies of the attempt it completed: none is left behind.
  const left = (await context!.cookies(stack.webUrl)).map((cookie) => cookie.name).filter((name) => /^(?:__Host-)?authjs\.(?:pkce\.code_verifier|state|nonce)\./.test(name));
  expect(left).toEqual([]);
});
