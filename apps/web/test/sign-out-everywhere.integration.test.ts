// Every sign-out ends everything, even for a browser that never follows the
// redirect to Keycloak's end-session page: the refresh token the web app held
// is dead at Keycloak, and the next "Sign in" shows Keycloak's login form
// (its SSO cookie opens nothing). Driven over HTTP with a cookie jar that
// holds the web app's and Keycloak's cookies, redirects not followed. The
// refresh token checked is one of the same Keycloak user session as the web
// app's stored one (see support/same-session-refresh-token.ts): the session
// holds exactly one user session, so both die together or neither does.
import { expect, it } from "vitest";
import { fetchWithJar } from "@stack/testkit/cookie-jar";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";
import { refreshAtKeycloak } from "./support/refresh-at-keycloak";
import { actionFormWithButton, submitActionForm } from "./support/server-action-form";
import { sameSessionRefreshToken } from "./support/same-session-refresh-token";
import { storedSessionCount } from "./support/stored-session-count";

const stack = stackEnv();
const realm = realmFixture(stack);

/** Signs a fresh user in; returns the session and a refresh token of its Keycloak user session. */
async function signedIn(label: string): Promise<{ session: WebSession; refreshToken: string; userId: string }> {
  const user = await realm.newUser(label);
  const session = await signInToWeb(stack, user.email, user.password);
  expect(await storedSessionCount(stack, user.id)).toBe(1);
  const refreshToken = await sameSessionRefreshToken(stack, session.jar);
  expect(await realm.admin.client.users.listSessions({ realm: stack.realm, id: user.id })).toHaveLength(1);
  return { session, refreshToken, userId: user.id };
}

/** What is left after a sign-out whose redirect the browser did not follow. */
async function expectNothingLeft(session: WebSession, refreshToken: string, userId: string): Promise<void> {
  expect(await storedSessionCount(stack, userId)).toBe(0);
  expect(await realm.admin.client.users.listSessions({ realm: stack.realm, id: userId })).toEqual([]);
  expect(await refreshAtKeycloak(stack, refreshToken)).toBe("invalid_grant");
  // "Sign in" again, with Keycloak's cookies from the first sign-in still in the jar.
  const start = await session.fetch("/sign-in");
  expect(start.status).toBe(303);
  const login = await fetchWithJar(session.jar, start.headers.get("location")!);
  expect(login.status, "Keycloak should show its login form, not sign in silently").toBe(200);
  expect(await login.text()).toContain('id="kc-form-login"');
}

it("the Sign out button, with the end-session redirect never followed", async () => {
  const { session, refreshToken, userId } = await signedIn("sign-out-button");
  const page = await session.fetch("/account");
  const form = actionFormWithButton(await page.text(), "sign-out");
  const response = await submitActionForm(session, "/account", form, { headers: { origin: stack.webUrl } });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toMatch(new RegExp(`^${stack.issuer}/protocol/openid-connect/logout\\?`));
  await expectNothingLeft(session, refreshToken, userId);
});

it("next-auth's own POST /api/auth/signout, with its CSRF token", async () => {
  const { session, refreshToken, userId } = await signedIn("sign-out-next-auth");
  const { csrfToken } = (await (await session.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await session.fetch("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.webUrl },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${stack.webUrl}/` }),
  });
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe(`${stack.webUrl}/`);
  await expectNothingLeft(session, refreshToken, userId);
});

it("next-auth's GET /api/auth/signout is not routed: no half sign-out page, the session stays whole", async () => {
  const { session, refreshToken, userId } = await signedIn("sign-out-get");
  const response = await session.fetch("/api/auth/signout");
  expect(response.status).toBe(404);
  expect(response.headers.getSetCookie().some((cookie) => cookie.includes("session-token"))).toBe(false);
  expect((await session.fetch("/account")).status).toBe(200);
  expect(await storedSessionCount(stack, userId)).toBe(1);
  expect(await realm.admin.client.users.listSessions({ realm: stack.realm, id: userId })).toHaveLength(1);
  // Refreshing it rotates it, which is harmless here: the point is that it still works.
  expect(await refreshAtKeycloak(stack, refreshToken)).toBe("ok");
});
