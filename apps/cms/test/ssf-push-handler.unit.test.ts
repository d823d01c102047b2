// The push handler's order for "every session of a user ended": the revocation
// is stored at once, the erasure check after it; a failed check answers 503,
// and Keycloak's redelivery of that SET (its jti known by then) runs the check
// again instead of being refused as a replay.
import { Readable } from "node:stream";
import type { IncomingMessage } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { createSsfPushHandler, type PushContext } from "../src/auth/session/ssf-push-handler";
import { ReplayedEventError, type RevocationRow } from "../src/auth/session/revocation-table";
import { generateSigningKey, ISSUER, jwksFetch, localKeyStore, NOW_SECONDS, signRaw } from "../../../packages/keycloak-tokens/test/support/local-issuer.ts";

const NOW_MS = NOW_SECONDS * 1000;
const AUDIENCE = "cms/stream-1";
const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const key = generateSigningKey("realm-key-1");

function sessionRevoked(jti: string, sessionId: string): string {
  const claims = {
    jti,
    iss: ISSUER,
    iat: NOW_SECONDS,
    aud: AUDIENCE,
    events: { [SESSION_REVOKED]: { event_timestamp: NOW_SECONDS, initiating_entity: "admin" } },
    sub_id: { format: "complex", user: { format: "iss_sub", iss: ISSUER, sub: "user-1" }, session: { format: "opaque", id: sessionId } },
  };
  return signRaw(JSON.stringify({ alg: "RS256", typ: "secevent+jwt", kid: key.kid }), JSON.stringify(claims), key);
}

/** The table: a jti stored once; a second insert is a replay, as the unique key makes it. */
function memoryStore() {
  const rows: RevocationRow[] = [];
  return {
    rows,
    hasSeen: (jti: string) => rows.some((row) => row.jti === jti),
    async add(row: RevocationRow) {
      if (rows.some((known) => known.jti === row.jti)) throw new ReplayedEventError();
      rows.push(row);
    },
  };
}

function setup(onAllSessionsEnded: (sub: string) => Promise<unknown>) {
  const store = memoryStore();
  const handler = createSsfPushHandler({
    policy: { issuer: ISSUER, audience: () => AUDIENCE, maxAgeSeconds: 300, clockLeewaySeconds: 5 },
    keys: localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => NOW_MS }),
    store,
    pushSecret: "push-secret",
    maxBodyBytes: 16_384,
    retentionMs: 600_000,
    now: () => NOW_MS,
    onAllSessionsEnded,
  });
  const push = async (token: string) => {
    const ctx: PushContext = {
      req: Readable.from([Buffer.from(token)]) as unknown as IncomingMessage,
      request: { header: { authorization: "Bearer push-secret", "content-type": "application/secevent+jwt", "content-length": String(token.length) } },
      status: 404,
      body: undefined,
      set: () => undefined,
    };
    await handler(ctx);
    return ctx;
  };
  return { store, push };
}

describe("createSsfPushHandler: every session of a user ended", () => {
  it("stores the revocation even when the erasure check fails (503), and the redelivery runs the check again (202)", async () => {
    const check = vi.fn<(sub: string) => Promise<unknown>>().mockRejectedValueOnce(Object.assign(new Error("down"), { code: "keycloak_unavailable" }));
    const { store, push } = setup(check);
    const set = sessionRevoked("jti-all-1", "ALL");

    const first = await push(set);
    expect(first.status).toBe(503);
    expect(store.rows).toEqual([expect.objectContaining({ jti: "jti-all-1", kind: "subject", sub: "user-1", notBefore: NOW_SECONDS })]);

    const again = await push(set);
    expect(again.status).toBe(202);
    expect(check).toHaveBeenCalledTimes(2);
    expect(check).toHaveBeenLastCalledWith("user-1");
    expect(store.rows).toHaveLength(1);
  });

  it("still refuses the replay of any other SET", async () => {
    const check = vi.fn(async () => undefined);
    const { push } = setup(check);
    const set = sessionRevoked("jti-one-session", "sid-1");
    expect((await push(set)).status).toBe(202);
    const replay = await push(set);
    expect(replay.status).toBe(400);
    expect(check).not.toHaveBeenCalled();
  });
});
