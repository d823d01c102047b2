// Regression: Next.js prefetches the links of every page, including links to
// protected pages. For a signed-out visitor those prefetches are redirected to
// sign-in; had they started an authorization request, they would replace the
// state, PKCE and callback-url cookies of the sign-in the user started, and the
// user would land on an error or on the wrong page.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../../infra/src/testing/browser.ts";
import { signInThroughKeycloak } from "../../infra/src/testing/keycloak-login-page.ts";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "../../infra/src/testing/realm-admin.ts";
import { stackEnv, type StackEnv } from "../../infra/src/testing/stack-env.ts";

let stack: StackEnv;
let admin: RealmAdmin;
let user: DisposableUser;
let browser: Browser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  user = await admin.createUser("prefetch-flow");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await admin?.deleteUser(user);
});

it("background prefetches of protected pages do not disturb a sign-in in progress", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.webUrl);
  await page.getByTestId("home-sign-in").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));

  // While the user is on Keycloak's form, another tab of the same browser
  // loads the home page (which prefetches /notes and /account) and fetches
  // protected RSC payloads the way the client router does.
  const otherTab = await context.newPage();
  await otherTab.goto(stack.webUrl);
  await otherTab.waitForLoadState("networkidle");
  const statuses = await otherTab.evaluate(async () =>
    Promise.all(
      ["/account", "/notes"].map(async (path) => (await fetch(path, { headers: { rsc: "1", "next-router-prefetch": "1" } })).status),
    ),
  );
  expect(statuses).toEqual([204, 204]);

  await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe(user.name);
});
