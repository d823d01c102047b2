// Issue 5: signing out ends the web session and the Keycloak session. The next
// "Sign in" shows Keycloak's login form (no silent SSO), and the old session
// cookie, replayed, opens nothing.
import { expect, it } from "vitest";
import { onKeycloakLoginForm } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;

it("sign-out ends both sessions: the next sign-in asks for credentials, the old cookie opens nothing", async () => {
  const { admin } = journey;
  const user = await journey.newUser("sign-out-flow");
  const page = await journey.newPage();
  await journey.signInFromHome(page, user);
  await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(user.name);
  const cookiesWhileSignedIn = await page.context().cookies(stack.webUrl);

  await page.getByTestId("sign-out").click();
  await page.waitForURL(`${stack.webUrl}/`);
  await expect.poll(() => page.getByTestId("sign-in").isVisible()).toBe(true);
  expect(await page.getByTestId("signed-in-as").count()).toBe(0);
  expect(await admin.client.users.listSessions({ realm: stack.realm, id: user.id })).toEqual([]);

  await page.getByTestId("sign-in").click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(page, stack.issuer)).toBe(true);

  // Someone who copied the cookie before sign-out gets nothing with it.
  const replay = await journey.browser.newContext();
  await replay.addCookies(cookiesWhileSignedIn);
  const replayPage = await replay.newPage();
  await replayPage.goto(`${stack.webUrl}/notes`);
  await replayPage.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  expect(await onKeycloakLoginForm(replayPage, stack.issuer)).toBe(true);
});
