// The revocation table on a real SQLite database (the dev mode's), read by two
// stores as two Strapi instances would: what one receives the other applies on
// its next poll, and a store started later (a restarted instance) loads it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import knexFactory from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RevocationStore } from "../src/auth/session/revocation-store";
import { ReplayedEventError, RevocationTable, type RevocationRow } from "../src/auth/session/revocation-table";

let dir: string;
let knex: ReturnType<typeof knexFactory>;
let now = 1_900_000_000_000;
const stores: RevocationStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "revocation-table-"));
  knex = knexFactory({ client: "better-sqlite3", connection: { filename: join(dir, "data.db") }, useNullAsDefault: true });
});

afterEach(async () => {
  for (const store of stores.splice(0)) store.stop();
  await knex.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function instance(): Promise<RevocationStore> {
  const store = new RevocationStore({ table: new RevocationTable(knex as never), pollIntervalMs: 60_000, now: () => now });
  await store.start();
  stores.push(store);
  return store;
}

const row = (overrides: Partial<RevocationRow> = {}): RevocationRow => ({
  jti: `jti-${Math.random()}`,
  kind: "session",
  sub: "user-1",
  sid: "sid-1",
  notBefore: 0,
  receivedAt: now,
  expiresAt: now + 3_600_000,
  ...overrides,
});

describe("RevocationTable and RevocationStore", () => {
  it("a revocation received by one instance applies on another after its poll, and on one started later", async () => {
    const a = await instance();
    const b = await instance();
    await a.add(row());
    expect(a.revocationOf("user-1", "sid-1", 0)).toBe("revoked");
    expect(b.revocationOf("user-1", "sid-1", 0)).toBeUndefined();
    await b.refresh();
    expect(b.revocationOf("user-1", "sid-1", 0)).toBe("revoked");
    const restarted = await instance();
    expect(restarted.revocationOf("user-1", "sid-1", 0)).toBe("revoked");
    expect(restarted.revocationOf("user-1", "sid-2", 0)).toBeUndefined();
  });

  it("a wake (another instance's NOTIFY) re-reads the table; wakes during a read make exactly one more read", async () => {
    const a = await instance();
    const b = await instance();
    await a.add(row());
    b.wake();
    await a.add(row({ jti: "jti-2", sid: "sid-2" }));
    b.wake();
    b.wake();
    await b.settled();
    expect(b.revocationOf("user-1", "sid-1", 0)).toBe("revoked");
    expect(b.revocationOf("user-1", "sid-2", 0)).toBe("revoked");
  });

  it("a subject revocation refuses tokens issued before its second, leaves that second's to Keycloak, and later ones pass", async () => {
    const a = await instance();
    await a.add(row({ kind: "subject", sid: null, notBefore: 1000 }));
    expect(a.revocationOf("user-1", "any", 999)).toBe("revoked");
    expect(a.revocationOf("user-1", "any", 1000)).toBe("uncertain");
    expect(a.revocationOf("user-1", "any", 1001)).toBeUndefined();
    expect(a.revocationOf("user-2", "any", 999)).toBeUndefined();
  });

  it("refuses a jti stored before, also from another instance", async () => {
    const a = await instance();
    const b = await instance();
    const first = row({ jti: "same" });
    await a.add(first);
    await expect(b.add(first)).rejects.toBeInstanceOf(ReplayedEventError);
    await b.refresh();
    expect(b.hasSeen("same")).toBe(true);
  });

  it("forgets expired revocations, in memory and in the table", async () => {
    const a = await instance();
    await a.add(row({ expiresAt: now + 1000 }));
    now += 2000;
    expect(a.revocationOf("user-1", "sid-1", 0)).toBeUndefined();
    now += 60_000;
    await a.refresh();
    expect(await knex("keycloak_revocations").count({ n: "*" })).toEqual([{ n: 0 }]);
  });

  it("shares the newest verification time", async () => {
    const a = await instance();
    const b = await instance();
    await a.add(row({ kind: "verification", sub: null, sid: null, receivedAt: now }));
    await b.refresh();
    expect(b.verifiedAt).toBe(now);
  });
});
