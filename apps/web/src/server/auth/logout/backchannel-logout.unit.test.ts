import type { JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../../../test/support/memory-token-store";
import { ISSUER, logoutClaims as claimsAt, realmKey } from "../../../../test/support/realm-key";
import { recordingLogger, storedSession } from "../../../../test/support/sessions";
import { handleBackchannelLogout, MAX_LOGOUT_REQUEST_BYTES } from "./backchannel-logout";
import type { LogoutTokenOptions } from "./logout-token";

const now = Date.now();
let sign: (claims: JWTPayload) => Promise<string>;
let verify: LogoutTokenOptions;

beforeAll(async () => {
  const key = await realmKey();
  verify = { issuer: ISSUER, audience: "web", keys: key.keys, maxAgeSeconds: 300 };
  sign = (claims) => key.sign(claims);
});

const logoutClaims = (extra: JWTPayload): JWTPayload => claimsAt(Math.floor(now / 1000), extra);

const post = (token?: string) =>
  new Request("http://web/api/auth/backchannel-logout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(token === undefined ? {} : { logout_token: token }),
  });

describe("back-channel logout route", () => {
  it("deletes every stored session of the Keycloak session named by sid, and only those", async () => {
    const store = new MemoryTokenStore();
    const a = storedSession(now, { sid: "kc-1", sub: "alice" });
    const b = storedSession(now, { sid: "kc-1", sub: "alice" });
    const otherDevice = storedSession(now, { sid: "kc-2", sub: "alice" });
    for (const session of [a, b, otherDevice]) await store.create(session);
    const response = await handleBackchannelLogout(post(await sign(logoutClaims({ sid: "kc-1", sub: "alice" }))), { store, verify, ...recordingLogger() });
    expect(response.status).toBe(200);
    expect([...store.sessions.keys()]).toEqual([otherDevice.sessionId]);
  });

  it("with only sub, deletes all of the user's sessions", async () => {
    const store = new MemoryTokenStore();
    for (const sid of ["kc-1", "kc-2"]) await store.create(storedSession(now, { sid, sub: "alice" }));
    const bob = storedSession(now, { sub: "bob" });
    await store.create(bob);
    const response = await handleBackchannelLogout(post(await sign(logoutClaims({ sub: "alice" }))), { store, verify, ...recordingLogger() });
    expect(response.status).toBe(200);
    expect([...store.sessions.keys()]).toEqual([bob.sessionId]);
  });

  it("answers 400 with the failed check's code and deletes nothing for a bad token", async () => {
    const store = new MemoryTokenStore();
    const session = storedSession(now, { sid: "kc-1" });
    await store.create(session);
    const { logger, events } = recordingLogger();
    const response = await handleBackchannelLogout(post(await sign(logoutClaims({ sid: "kc-1", nonce: "x" }))), { store, verify, logger });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", code: "logout_token_nonce_present" });
    expect(store.sessions.size).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ event: "backchannel_logout_rejected", fields: { code: "logout_token_nonce_present" } }));
  });

  it("answers 400 logout_token_missing for a request without a token", async () => {
    const response = await handleBackchannelLogout(post(), { store: new MemoryTokenStore(), verify, ...recordingLogger() });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("logout_token_missing");
  });

  it("accepts a token once: the replay of the same jti is refused, even after the session it named is gone", async () => {
    const store = new MemoryTokenStore();
    await store.create(storedSession(now, { sid: "kc-1", sub: "alice" }));
    const token = await sign(logoutClaims({ sid: "kc-1", sub: "alice" }));
    expect((await handleBackchannelLogout(post(token), { store, verify, ...recordingLogger() })).status).toBe(200);
    // A later session of the same Keycloak session id must not be ended by the old token.
    const later = storedSession(now, { sid: "kc-1", sub: "alice" });
    await store.create(later);
    const replay = await handleBackchannelLogout(post(token), { store, verify, ...recordingLogger() });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: "invalid_request", code: "logout_token_replayed" });
    expect(store.sessions.has(later.sessionId)).toBe(true);
  });

  it("does not spend a jti on a token that fails verification", async () => {
    const store = new MemoryTokenStore();
    const jti = "jti-of-a-forgery";
    const bad = await sign(logoutClaims({ sid: "kc-1", jti, aud: "cms" }));
    expect((await handleBackchannelLogout(post(bad), { store, verify, ...recordingLogger() })).status).toBe(400);
    expect(await store.rememberLogoutToken(jti, now + 60_000)).toBe(true);
  });

  it("refuses a body over 8 KiB before parsing it, whether its length is declared or streamed", async () => {
    const store = new MemoryTokenStore();
    const session = storedSession(now, { sid: "kc-1" });
    await store.create(session);
    const token = await sign(logoutClaims({ sid: "kc-1" }));
    const padded = `${new URLSearchParams({ logout_token: token })}&pad=${"x".repeat(MAX_LOGOUT_REQUEST_BYTES)}`;
    const declared = new Request("http://web/api/auth/backchannel-logout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(padded)) },
      body: padded,
    });
    const streamed = new Request("http://web/api/auth/backchannel-logout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? `logout_token=${token}&pad=` : "x".repeat(1024)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    for (const request of [declared, streamed]) {
      const response = await handleBackchannelLogout(request, { store, verify, ...recordingLogger() });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_request", code: "logout_request_too_large" });
    }
    expect(store.sessions.has(session.sessionId)).toBe(true);
  });

  it("reads only a form-encoded body", async () => {
    const token = await sign(logoutClaims({ sid: "kc-1" }));
    const form = new FormData();
    form.set("logout_token", token);
    const multipart = new Request("http://web/api/auth/backchannel-logout", { method: "POST", body: form });
    const response = await handleBackchannelLogout(multipart, { store: new MemoryTokenStore(), verify, ...recordingLogger() });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("logout_request_malformed");
  });
});
