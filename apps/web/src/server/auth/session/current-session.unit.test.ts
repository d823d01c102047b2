import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "./session-claims";
import type { ActiveSession } from "./session-lookup";

/** Stands in for Next's redirect(), which throws. */
class Redirected extends Error {}

const request = vi.hoisted(() => ({ headers: new Headers(), cookie: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ toString: () => request.cookie }),
  headers: async () => request.headers,
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
}));
// React's cache outside a render: one answer per factory here, as one per request there.
vi.mock("react", () => ({
  cache: <T,>(fn: () => Promise<T>) => {
    let answer: Promise<T> | undefined;
    return () => (answer ??= fn());
  },
}));

const { createCurrentSession } = await import("./current-session");
const { SESSION_HANDOFF_HEADER, createSessionHandoff } = await import("./session-handoff");

const claims: SessionClaims = { sessionId: "s-1", sid: "kc", sub: "u-1", name: "Ada", email: "ada@example.test", username: "ada" };
const accessToken = `${Buffer.from("{}").toString("base64url")}.${Buffer.from(JSON.stringify({ realm_access: { roles: ["user"] }, acr: "password" })).toString("base64url")}.sig`;
const handoff = createSessionHandoff();
const sessions = {
  claims: vi.fn(async (): Promise<SessionClaims | null> => claims),
  resolve: vi.fn(async (): Promise<ActiveSession | null> => ({ claims, accessToken })),
};
const refresher = { renew: vi.fn(), end: vi.fn() };
const current = () => createCurrentSession(() => ({ sessions, handoff, refresher }));

beforeEach(() => {
  vi.clearAllMocks();
  request.headers = new Headers();
  request.cookie = "authjs.session-token=x";
});

describe("current session (pages, actions, the CMS client)", () => {
  it("uses the proxy's hand-off: no cookie or store read in the render", async () => {
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, accessToken }));
    const session = current();
    expect(await session.getCurrentUser()).toEqual({ sub: "u-1", name: "Ada", email: "ada@example.test", username: "ada", roles: ["user"], acr: "password" });
    expect(await session.getAccessToken()).toBe(accessToken);
    expect(sessions.claims).not.toHaveBeenCalled();
    expect(sessions.resolve).not.toHaveBeenCalled();
  });

  it("shows each access token's own roles and level (a refresh after a role change shows it)", async () => {
    const editorToken = `${Buffer.from("{}").toString("base64url")}.${Buffer.from(JSON.stringify({ realm_access: { roles: ["user", "editor"] }, acr: "second-factor" })).toString("base64url")}.sig`;
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, accessToken }));
    expect(await current().getCurrentUser()).toMatchObject({ roles: ["user"], acr: "password" });
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, accessToken: editorToken }));
    expect(await current().getCurrentUser()).toMatchObject({ roles: ["user", "editor"], acr: "second-factor" });
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, accessToken }));
    expect(await current().getCurrentUser()).toMatchObject({ roles: ["user"], acr: "password" });
  });

  it("a hand-off of 'no session' means signed out, without a store read", async () => {
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put(null));
    await expect(current().requireUser("/notes")).rejects.toThrow("/sign-in?returnTo=%2Fnotes");
    expect(sessions.resolve).not.toHaveBeenCalled();
  });

  it("without a valid hand-off looks the session up itself, once per request", async () => {
    request.headers.set(SESSION_HANDOFF_HEADER, "00000000-0000-4000-8000-000000000000");
    const session = current();
    await session.getCurrentUser();
    await session.requireUser("/account");
    await session.getAccessToken();
    expect(sessions.claims).toHaveBeenCalledExactlyOnceWith("authjs.session-token=x");
    expect(sessions.resolve).toHaveBeenCalledTimes(1);
  });

  it("a session kept through an outage: signed in without roles; protected pages go to the unavailable page", async () => {
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, unavailable: "refresh_unavailable" }));
    const session = current();
    expect((await session.getCurrentUser())?.roles).toEqual([]);
    expect(await session.isSignInUnavailable()).toBe(true);
    await expect(session.requireUser("/notes")).rejects.toThrow("/sign-in-unavailable?returnTo=%2Fnotes");
  });

  it("renews and ends by the session id the request carries", async () => {
    request.headers.set(SESSION_HANDOFF_HEADER, handoff.put({ claims, accessToken }));
    refresher.renew.mockResolvedValue({ ok: true, session: { tokens: { accessToken: "access-2" } } });
    const session = current();
    expect(await session.renewAccessToken(accessToken)).toEqual({ ok: true, accessToken: "access-2" });
    expect(refresher.renew).toHaveBeenCalledWith("s-1", accessToken);
    await expect(session.endSession("api_rejected_session")).rejects.toThrow("/session-ended?reason=api_rejected_session");
    expect(refresher.end).toHaveBeenCalledWith("s-1", "api_rejected_session");
  });
});
