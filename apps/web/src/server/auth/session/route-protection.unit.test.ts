import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FreshSession } from "../tokens/token-refresher";
import { createRouteProtection, passWithoutHandoff } from "./route-protection";
import { SESSION_HANDOFF_HEADER, createSessionHandoff } from "./session-handoff";
import { createSessionLookup } from "./session-lookup";

const runtime = {
  config: { webUrl: "http://localhost:3000", authSecret: "route-protection-secret-0123456789abcdef" },
  refresher: { fresh: vi.fn<(sessionId: string) => Promise<FreshSession>>() },
};
const handoff = createSessionHandoff();
const protect = createRouteProtection({ protectedPaths: ["/notes", "/account"] }, () => ({
  config: runtime.config,
  sessions: createSessionLookup(() => runtime),
  handoff,
}));
const COOKIE = "authjs.session-token";

async function sessionCookie(sessionId = "s-1"): Promise<string> {
  const token = await encode({ token: { sessionId, sid: "kc", sub: "u", name: "A", email: null, username: null }, secret: runtime.config.authSecret, salt: COOKIE });
  return `${COOKIE}=${token}`;
}

const request = (path: string, init: { cookie?: string; method?: string } = {}) =>
  new NextRequest(`http://localhost:3000${path}`, { method: init.method ?? "GET", headers: init.cookie ? { cookie: init.cookie } : {} });

/** What the proxy handed on to the render in the request header (undefined: nothing valid). */
const handedOn = (response: Response) => handoff.take(response.headers.get(`x-middleware-request-${SESSION_HANDOFF_HEADER}`));

const clearsCookie = (response: Response) => response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${COOKIE}=;`));

beforeEach(() => {
  runtime.refresher.fresh.mockReset();
});

describe("route protection (proxy)", () => {
  it("lets a live session through, refreshing via the refresher", async () => {
    runtime.refresher.fresh.mockResolvedValue({ ok: true, session: { tokens: { accessToken: "access-1" } } as never });
    const response = await protect(request("/notes", { cookie: await sessionCookie("s-42") }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(runtime.refresher.fresh).toHaveBeenCalledWith("s-42");
    expect(clearsCookie(response)).toBe(false);
  });

  it("sends an anonymous visitor of a protected page to sign-in with the path to come back to", async () => {
    const response = await protect(request("/notes/abc/edit?x=1"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("returnTo")).toBe("/notes/abc/edit?x=1");
  });

  it("leaves public pages alone, and does not treat /notesXYZ as /notes", async () => {
    for (const path of ["/", "/articles", "/notesXYZ"]) {
      expect((await protect(request(path))).headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("an ended session: redirect to sign-in and clear the cookie; on a public page only clear it", async () => {
    runtime.refresher.fresh.mockResolvedValue({ ok: false, code: "refresh_token_rejected" });
    const cookie = await sessionCookie();
    const onProtected = await protect(request("/account", { cookie }));
    expect(onProtected.status).toBe(307);
    expect(clearsCookie(onProtected)).toBe(true);
    const onPublic = await protect(request("/", { cookie }));
    expect(onPublic.headers.get("x-middleware-next")).toBe("1");
    expect(clearsCookie(onPublic)).toBe(true);
  });

  it("Keycloak unreachable with an expired token: the cookie stays; protected pages say so, others render", async () => {
    runtime.refresher.fresh.mockResolvedValue({ ok: false, code: "refresh_unavailable" });
    const cookie = await sessionCookie();
    const onProtected = await protect(request("/notes?x=1", { cookie }));
    expect(onProtected.status).toBe(307);
    const location = new URL(onProtected.headers.get("location")!);
    expect(location.pathname).toBe("/sign-in-unavailable");
    expect(location.searchParams.get("returnTo")).toBe("/notes?x=1");
    expect(clearsCookie(onProtected)).toBe(false);
    for (const response of [await protect(request("/", { cookie })), await protect(request("/notes", { cookie, method: "POST" }))]) {
      expect(response.headers.get("x-middleware-next")).toBe("1");
      expect(clearsCookie(response)).toBe(false);
    }
  });

  it("a forged or foreign cookie counts as no session", async () => {
    const response = await protect(request("/notes", { cookie: `${COOKIE}=eyJhbGciOiJkaXIifQ..forged.forged.forged` }));
    expect(response.status).toBe(307);
    expect(runtime.refresher.fresh).not.toHaveBeenCalled();
    expect(clearsCookie(response)).toBe(true);
  });

  it("does not redirect a server action (POST); the action checks the user and redirects itself", async () => {
    const response = await protect(request("/notes", { method: "POST" }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("hands what it found on to the render by an id, not in the header: the session, no session, or kept through an outage", async () => {
    const session = { tokens: { accessToken: "access-1", refreshToken: "refresh-1", idToken: "id-1" } } as never;
    runtime.refresher.fresh.mockResolvedValue({ ok: true, session });
    const live = await protect(request("/notes", { cookie: await sessionCookie("s-7") }));
    expect(handedOn(live)?.active).toMatchObject({ claims: { sessionId: "s-7", sub: "u" }, accessToken: "access-1" });
    // Only the access token travels on: the refresh and ID tokens stay in the store.
    expect(JSON.stringify(handedOn(live))).not.toMatch(/refresh-1|id-1/);
    expect(live.headers.get(`x-middleware-request-${SESSION_HANDOFF_HEADER}`)).toMatch(/^[0-9a-f-]{36}$/);

    expect(handedOn(await protect(request("/")))).toEqual({ active: null });

    runtime.refresher.fresh.mockResolvedValue({ ok: false, code: "refresh_unavailable" });
    expect(handedOn(await protect(request("/", { cookie: await sessionCookie() })))?.active).toMatchObject({ unavailable: "refresh_unavailable" });
  });

  it("replaces a hand-off header sent by the client, also on /api paths", async () => {
    // Even the id of another request's live hand-off: the proxy leaves its own.
    runtime.refresher.fresh.mockResolvedValue({ ok: true, session: { tokens: { accessToken: "access-other" } } as never });
    const othersId = (await protect(request("/notes", { cookie: await sessionCookie("s-other") }))).headers.get(`x-middleware-request-${SESSION_HANDOFF_HEADER}`)!;
    const forged = new NextRequest("http://localhost:3000/articles", { headers: { [SESSION_HANDOFF_HEADER]: othersId } });
    expect(handedOn(await protect(forged))).toEqual({ active: null });
    const api = passWithoutHandoff(new NextRequest("http://localhost:3000/api/health", { headers: { [SESSION_HANDOFF_HEADER]: "v1.x.y.z" } }));
    expect(api.headers.get("x-middleware-override-headers")).not.toContain(SESSION_HANDOFF_HEADER);
    expect(api.headers.get(`x-middleware-request-${SESSION_HANDOFF_HEADER}`)).toBeNull();
  });
});
