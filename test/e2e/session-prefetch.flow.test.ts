// Regression: Next.js prefetches the links of every page, including links to
// protected pages. For a signed-out visitor those prefetches are redirected to
// sign-in; had they started an authorization request, they would replace the
// state, PKCE and callback-url cookies of the sign-in the user started, and the
// user would land on an error or on the wrong page.
import { expect, it } from "vitest";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;

it("background prefetches of protected pages do not disturb a sign-in in progress", async () => {
  const user = await journey.newUser("prefetch-flow");
  const page = await journey.newPage();
  await journey.openSignInFromHome(page);

  // While the user is on Keycloak's form, another tab of the same browser
  // loads the home page (which prefetches /notes and /account) and fetches
  // protected RSC payloads the way the client router does.
  const otherTab = await page.context().newPage();
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
