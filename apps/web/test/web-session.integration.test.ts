// The web app's session model against the real stack: the sign-in redirect,
// what the browser gets (and does not get), open-redirect refusal, and
// back-channel logout from Keycloak.
import { describe, expect, it } from "vitest";
import { mockGoogle } from "@stack/runner/keycloak/mock-identity-providers";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb } from "@stack/testkit/web-session";
import { findTokens } from "@stack/testkit/token-scan";

const stack = stackEnv();
const realm = realmFixture(stack);

const get = (path: string) => fetch(new URL(path, stack.webUrl), { redirect: "manual" });

describe("signing in", () => {
  it("answers health without a session", async () => {
    const response = await get("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("sends an anonymous visitor of a protected page to sign-in, and sign-in to Keycloak with PKCE S256", async () => {
    const notes = await get("/notes");
    expect(notes.status).toBe(307);
    const signIn = new URL(notes.headers.get("location")!, stack.webUrl);
    expect(signIn.pathname).toBe("/sign-in");
    expect(signIn.searchParams.get("returnTo")).toBe("/notes");

    const start = await get(signIn.pathname + signIn.search);
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get("location")!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${stack.issuer}/protocol/openid-connect/auth`);
    expect(authorize.searchParams.get("client_id")).toBe(stack.webClientId);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${stack.webUrl}/api/auth/callback/keycloak`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("state")).toBeTruthy();
  });

  it("passes allow-listed authorization parameters and drops the ones the server owns", async () => {
    const start = await get(`/sign-in?prompt=create&kc_idp_hint=${mockGoogle.alias}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&scope=offline_access`);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.searchParams.get("prompt")).toBe("create");
    expect(authorize.searchParams.get("kc_idp_hint")).toBe(mockGoogle.alias);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${stack.webUrl}/api/auth/callback/keycloak`);
    expect(authorize.searchParams.get("scope")).not.toContain("offline_access");
  });

  it("lands on the requested page, and refuses to land on another origin", async () => {
    const user = await realm.newUser("landing");
    const onNotes = await signInToWeb(stack, user.email, user.password, { callbackUrl: `${stack.webUrl}/notes` });
    expect(onNotes.landedAt).toBe(`${stack.webUrl}/notes`);
    for (const evil of ["https://evil.example/steal", "//evil.example/steal", `${stack.webUrl}/.//evil.example`]) {
      const session = await signInToWeb(stack, user.email, user.password, { callbackUrl: evil });
      expect(new URL(session.landedAt).origin).toBe(stack.webUrl);
      expect(new URL(session.landedAt).pathname.startsWith("//")).toBe(false);
    }
  });
});

describe("what the browser gets", () => {
  it("a small session cookie, a session endpoint with display claims only, pages without tokens", async () => {
    const user = await realm.newUser("no-tokens");
    const session = await signInToWeb(stack, user.email, user.password);

    const cookie = session.jar.header(stack.webUrl);
    // Keycloak's three tokens alone are several kilobytes; the cookie holds ids and a name.
    expect(cookie.length).toBeLessThan(1500);
    expect(findTokens(cookie)).toEqual([]);

    const sessionResponse = await session.fetch("/api/auth/session");
    const body = (await sessionResponse.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["expires", "user"]);
    expect(body.user).toEqual({ name: user.name, email: user.email });

    for (const path of ["/", "/account", "/articles", "/api/auth/session"]) {
      for (const rsc of [false, true]) {
        let response = await session.fetch(path, rsc ? { headers: { rsc: "1" } } : {});
        // Next.js answers a bare RSC request with a redirect that adds its cache-busting `_rsc` parameter.
        if (rsc && response.status === 307) response = await session.fetch(response.headers.get("location")!, { headers: { rsc: "1" } });
        expect(response.status, path).toBe(200);
        const text = `${[...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n")}\n${await response.text()}`;
        expect(findTokens(text), `${path}${rsc ? " (RSC)" : ""}`).toEqual([]);
      }
    }
    const account = await (await session.fetch("/account")).text();
    expect(account).toContain(user.email);
  });

  it("what the proxy hands to the render stays on the server, and a client cannot send one", async () => {
    const user = await realm.newUser("handoff");
    const session = await signInToWeb(stack, user.email, user.password);
    const account = await session.fetch("/account");
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(user.email);
    const names = [...account.headers.keys()];
    expect(names.filter((name) => name === "x-session-handoff" || name.startsWith("x-middleware-"))).toEqual([]);

    // A hand-off header from outside is replaced by the proxy (and an id nobody left in the process finds nothing anyway).
    const forged = { "x-session-handoff": "00000000-0000-4000-8000-000000000000" };
    const anonymous = await fetch(new URL("/account", stack.webUrl), { redirect: "manual", headers: forged });
    expect(anonymous.status).toBe(307);
    const home = await (await fetch(new URL("/", stack.webUrl), { headers: forged })).text();
    expect(home).not.toContain('data-testid="signed-in-as"');
  });
});

describe("back-channel logout", () => {
  it("an admin's sign-out in Keycloak ends the web session: the next request goes to sign-in and the cookie is cleared", async () => {
    const user = await realm.newUser("admin-logout");
    const session = await signInToWeb(stack, user.email, user.password);
    expect((await session.fetch("/account")).status).toBe(200);

    await realm.admin.logoutUser(user);

    const next = await session.fetch("/account");
    expect(next.status).toBe(307);
    expect(new URL(next.headers.get("location")!, stack.webUrl).pathname).toBe("/sign-in");
    expect(next.headers.getSetCookie().some((cookie) => /authjs\.session-token=;/.test(cookie))).toBe(true);
    expect(await (await session.fetch("/api/auth/session")).json()).toBeNull();
  });

  it("ends only the signed-out Keycloak session, not the user's other device", async () => {
    const user = await realm.newUser("two-devices");
    const laptop = await signInToWeb(stack, user.email, user.password);
    const phone = await signInToWeb(stack, user.email, user.password);
    const sessions = await realm.admin.client.users.listSessions({ realm: stack.realm, id: user.id });
    expect(sessions).toHaveLength(2);
    // Delete one Keycloak session; Keycloak sends a logout token naming its sid.
    await realm.admin.client.realms.deleteSession({ realm: stack.realm, session: sessions[0]!.id!, isOffline: false });
    const statuses = [(await laptop.fetch("/account")).status, (await phone.fetch("/account")).status].sort();
    expect(statuses).toEqual([200, 307]);
  });

  it("rejects a forged logout token with 400 and the failed check", async () => {
    const forged = ["eyJhbGciOiJub25lIn0", Buffer.from(JSON.stringify({ iss: stack.issuer, aud: "web", sub: "x" })).toString("base64url"), ""].join(".");
    const response = await fetch(`${stack.webUrl}/api/auth/backchannel-logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: forged }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", code: "logout_token_signature_invalid" });
  });
});
