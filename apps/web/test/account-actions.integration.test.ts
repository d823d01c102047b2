// Account actions (Keycloak's kc_action: password, profile, link a provider,
// delete the account) start only from the app's own account page: a POST to
// its server action, from our origin, with an allow-listed action. A link on
// another site can start a sign-in, never an account action.
import { beforeAll, describe, expect, it } from "vitest";
import { mockGitHub } from "@stack/runner/keycloak/mock-identity-providers";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";
import { actionFormWithButton, submitActionForm, type ActionForm } from "./support/server-action-form";

const stack = stackEnv();
const realm = realmFixture(stack);
const authorizationEndpoint = `${stack.issuer}/protocol/openid-connect/auth`;

// What a browser sends when another site links or submits a GET form to us.
const CROSS_SITE_NAVIGATION = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };

describe("GET /sign-in from another site", () => {
  it("drops kc_action, whatever the action: the redirect to Keycloak carries none", async () => {
    for (const action of [`idp_link:${mockGitHub.alias}`, "idp_link:github", "UPDATE_PASSWORD", "delete_account"]) {
      const response = await fetch(`${stack.webUrl}/sign-in?${new URLSearchParams({ kc_action: action, returnTo: "/account" })}`, {
        headers: CROSS_SITE_NAVIGATION,
        redirect: "manual",
      });
      expect(response.status, action).toBe(303);
      const authorize = new URL(response.headers.get("location")!);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(authorizationEndpoint);
      expect(authorize.searchParams.has("kc_action"), action).toBe(false);
    }
  });

  it("keeps prompt=create and a configured provider hint, drops an unconfigured hint", async () => {
    const location = async (query: Record<string, string>) => {
      const response = await fetch(`${stack.webUrl}/sign-in?${new URLSearchParams(query)}`, { headers: CROSS_SITE_NAVIGATION, redirect: "manual" });
      return new URL(response.headers.get("location")!).searchParams;
    };
    const registration = await location({ prompt: "create", kc_idp_hint: mockGitHub.alias });
    expect(registration.get("prompt")).toBe("create");
    expect(registration.get("kc_idp_hint")).toBe(mockGitHub.alias);
    expect((await location({ kc_idp_hint: "not-a-configured-provider", prompt: "login" })).has("kc_idp_hint")).toBe(false);
  });
});

describe("the account page's action buttons", () => {
  let session: WebSession;
  let changePassword: ActionForm;

  beforeAll(async () => {
    const user = await realm.newUser("account-action-post");
    session = await signInToWeb(stack, user.email, user.password);
    const page = await session.fetch("/account");
    expect(page.status).toBe(200);
    changePassword = actionFormWithButton(await page.text(), "change-password");
  });

  const kcActionOf = (response: Response) => {
    const location = response.headers.get("location");
    return location && location.startsWith(authorizationEndpoint) ? new URL(location).searchParams.get("kc_action") : null;
  };

  it("a POST from our origin starts the action at Keycloak", async () => {
    const response = await submitActionForm(session, "/account", changePassword, { headers: { origin: stack.webUrl } });
    expect(response.status).toBe(303);
    expect(kcActionOf(response)).toBe("UPDATE_PASSWORD");
    const link = await submitActionForm(session, "/account", changePassword, { headers: { origin: stack.webUrl }, fields: { action: `idp_link:${mockGitHub.alias}` } });
    expect(kcActionOf(link)).toBe(`idp_link:${mockGitHub.alias}`);
  });

  it("a POST with a foreign Origin is refused, also when it claims a matching forwarded host", async () => {
    const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: "https://evil.example", "x-forwarded-host": "evil.example" }];
    for (const headers of attempts) {
      const response = await submitActionForm(session, "/account", changePassword, { headers });
      expect(response.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(kcActionOf(response)).toBeNull();
    }
  });

  it("an action outside the allow-list is refused, even from our origin", async () => {
    for (const action of ["UPDATE_EMAIL", "delete_credential", "idp_link:not-a-configured-provider"]) {
      const response = await submitActionForm(session, "/account", changePassword, { headers: { origin: stack.webUrl }, fields: { action } });
      expect(response.status, action).toBeGreaterThanOrEqual(400);
      expect(kcActionOf(response)).toBeNull();
    }
  });
});
