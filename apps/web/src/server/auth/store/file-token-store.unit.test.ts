import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storedSession } from "../../../../test/support/sessions";
import { tokenStoreContract } from "../../../../test/support/token-store-contract";
import { FileTokenStore } from "./file-token-store";
import { createTokenCipher } from "./token-cipher";

const root = mkdtempSync(join(tmpdir(), "file-token-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let clock = Date.parse("2026-01-01T00:00:00Z");
const now = () => clock;
const cipher = createTokenCipher("unit-test-secret-0123456789abcdef01234567");
let folders = 0;
const newStore = (dir = join(root, `store-${(folders += 1)}`)) => ({ dir, store: new FileTokenStore({ dir, cipher, now }) });

tokenStoreContract(
  "FileTokenStore",
  async () => ({
    store: newStore().store,
    advance: async (ms) => {
      clock += ms;
    },
  }),
  now,
);

describe("FileTokenStore", () => {
  it("keeps sessions across a restart (a new instance on the same folder)", async () => {
    const { dir, store } = newStore();
    const session = storedSession(now());
    await store.create(session);
    expect(await new FileTokenStore({ dir, cipher, now }).get(session.sessionId)).toEqual(session);
  });

  it("stores no token, session id, sid or subject in clear text", async () => {
    const { dir, store } = newStore();
    const session = storedSession(now());
    await store.create(session);
    await store.putSuccessor(session.sessionId, session.tokens.refreshToken!, session.tokens, 10_000);
    const written = ["sessions", "successors"].flatMap((folder) =>
      readdirSync(join(dir, folder)).map((name) => name + readFileSync(join(dir, folder, name), "utf8")),
    );
    expect(written).toHaveLength(2);
    for (const secret of [session.tokens.accessToken, session.tokens.refreshToken!, session.tokens.idToken!, session.sessionId, session.sid!, session.sub]) {
      for (const text of written) expect(text).not.toContain(secret);
    }
  });

  it("treats entries sealed under another AUTH_SECRET as gone", async () => {
    const { dir, store } = newStore();
    const session = storedSession(now());
    await store.create(session);
    const rotated = new FileTokenStore({ dir, cipher: createTokenCipher("another-secret-0123456789abcdef0123456789"), now });
    expect(await rotated.get(session.sessionId)).toBeNull();
  });

  it("purges expired sessions, successor records and abandoned locks, and keeps live ones", async () => {
    const { dir, store } = newStore();
    const live = storedSession(now(), { expiresAt: now() + 60_000 });
    const expiring = storedSession(now(), { expiresAt: now() + 1_000 });
    await store.create(live);
    await store.create(expiring);
    await store.putSuccessor(live.sessionId, "old", live.tokens, 1_000);
    await store.acquireRefreshLock(live.sessionId, 1_000);
    clock += 5_000;
    expect(await store.purgeExpired()).toBe(3);
    expect(readdirSync(join(dir, "sessions"))).toHaveLength(1);
    expect(await store.get(live.sessionId)).toEqual(live);
    expect(readdirSync(join(dir, "successors"))).toHaveLength(0);
    expect(readdirSync(join(dir, "locks"))).toHaveLength(0);
  });

  it("recreates its folder when it was removed while running", async () => {
    const { dir, store } = newStore();
    await store.create(storedSession(now()));
    rmSync(dir, { recursive: true });
    const session = storedSession(now());
    await store.create(session);
    expect(await store.get(session.sessionId)).toEqual(session);
  });
});
