import { describe, expect, it } from "vitest";
import { UserProvisioner } from "../src/auth/users/user-provisioner";
import type { CmsUser, UserProfile, UserStore } from "../src/auth/users/user-store";

/** An in-memory table with a unique index on keycloakSub and a slow, yielding driver. */
function memoryStore() {
  const rows: CmsUser[] = [];
  const calls = { find: 0, create: 0, update: 0 };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  const store: UserStore = {
    async findBySubject(sub) {
      calls.find++;
      await tick();
      return rows.find((row) => row.keycloakSub === sub) ?? null;
    },
    async create(profile) {
      calls.create++;
      await tick();
      if (rows.some((row) => row.keycloakSub === profile.keycloakSub)) throw new Error("UNIQUE constraint failed");
      const row: CmsUser = { id: rows.length + 1, documentId: `doc-${rows.length + 1}`, blocked: false, ...profile, kind: profile.kind ?? "person" };
      rows.push(row);
      return { ...row };
    },
    async update(id, changes) {
      calls.update++;
      await tick();
      const row = rows.find((r) => r.id === id)!;
      Object.assign(row, changes);
      return { ...row };
    },
  };
  return { store, rows, calls };
}

const profile = (overrides: Partial<UserProfile> = {}): UserProfile => ({
  keycloakSub: "sub-alice",
  username: "alice@example.com",
  email: "alice@example.com",
  confirmed: true,
  roleId: 1,
  ...overrides,
});

describe("UserProvisioner", () => {
  it("creates exactly one user for 20 concurrent first requests", async () => {
    const { store, rows, calls } = memoryStore();
    const provisioner = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    const users = await Promise.all(Array.from({ length: 20 }, () => provisioner.resolve(profile())));
    expect(rows).toHaveLength(1);
    expect(new Set(users.map((user) => user.id))).toEqual(new Set([1]));
    expect(calls.create).toBe(1);
  });

  it("uses the winner's row when another process inserted the subject first", async () => {
    const { store, rows } = memoryStore();
    // Two provisioners = two Strapi instances sharing one database.
    const a = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    const b = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    const users = await Promise.all([a.resolve(profile()), b.resolve(profile()), a.resolve(profile()), b.resolve(profile())]);
    expect(rows).toHaveLength(1);
    expect(users.every((user) => user.id === rows[0]!.id)).toBe(true);
  });

  it("keeps username, email, confirmation and role in step with the token", async () => {
    const { store, rows, calls } = memoryStore();
    const provisioner = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    await provisioner.resolve(profile());
    const updatesAfterCreate = calls.update;
    await provisioner.resolve(profile());
    expect(calls.update).toBe(updatesAfterCreate);
    const user = await provisioner.resolve(profile({ email: "alice@new.example", username: "alice@new.example", roleId: 3 }));
    expect(user).toMatchObject({ email: "alice@new.example", username: "alice@new.example", roleId: 3 });
    expect(rows[0]).toMatchObject({ email: "alice@new.example", roleId: 3 });
    expect(calls.update).toBe(updatesAfterCreate + 1);
  });

  it("serves repeat requests from its cache until the TTL or an invalidation", async () => {
    const { store, rows, calls } = memoryStore();
    const clock = { ms: 0 };
    const provisioner = new UserProvisioner(store, { ttlMs: 1000, maxEntries: 100, now: () => clock.ms });
    await provisioner.resolve(profile());
    const findsAfterCreate = calls.find;
    await provisioner.resolve(profile());
    expect(calls.find).toBe(findsAfterCreate);

    rows[0]!.blocked = true;
    expect((await provisioner.resolve(profile())).blocked).toBe(false);
    clock.ms += 1000;
    expect((await provisioner.resolve(profile())).blocked).toBe(true);

    rows[0]!.blocked = false;
    provisioner.invalidate();
    expect((await provisioner.resolve(profile())).blocked).toBe(false);
  });

  it("passes on database errors that are not a lost race", async () => {
    const store: UserStore = {
      findBySubject: async () => null,
      create: async () => {
        throw new Error("database is down");
      },
      update: async () => {
        throw new Error("unreachable");
      },
    };
    const provisioner = new UserProvisioner(store, { ttlMs: 1000, maxEntries: 10 });
    await expect(provisioner.resolve(profile())).rejects.toThrow("database is down");
  });

  it("an update that fails because another process made the same change at once keeps the row as it stands", async () => {
    const { store, rows } = memoryStore();
    rows.push({ id: 1, documentId: "doc-1", blocked: false, kind: "person", ...profile({ roleId: null }) });
    const update = store.update;
    // The other instance links the role first; ours then hits the unique index on the link.
    store.update = async (id, changes) => {
      await update(id, changes);
      throw new Error('duplicate key value violates unique constraint "up_users_role_lnk_uq"');
    };
    const provisioner = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    expect(await provisioner.resolve(profile())).toMatchObject({ id: 1, roleId: 1 });

    // A failed update that left the row different is not papered over.
    rows[0]!.roleId = null;
    store.update = async () => {
      throw new Error("connection reset");
    };
    await expect(new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 }).resolve(profile())).rejects.toThrow("connection reset");
  });

  it("a newcomer's first requests on two instances both get the one row, with its role", async () => {
    // Strapi's query engine commits a created row, then links its relations, and deletes the row
    // again when a link fails. Here the other instance reads the row between the two steps and sets
    // the role itself; a create that carried the role would then fail, remove the row, and answer 500.
    const rows: CmsUser[] = [];
    let releaseLink!: () => void;
    const linkGate = new Promise<void>((resolve) => (releaseLink = resolve));
    const linkRole = (row: CmsUser, roleId: number) => {
      if (row.roleId !== null) throw new Error('duplicate key value violates unique constraint "up_users_role_lnk_uq"');
      row.roleId = roleId;
    };
    let creates = 0;
    const store: UserStore = {
      async findBySubject(sub) {
        const row = rows.find((r) => r.keycloakSub === sub);
        return row ? { ...row } : null;
      },
      async create(created) {
        if (rows.some((r) => r.keycloakSub === created.keycloakSub)) throw new Error("UNIQUE constraint failed");
        const row: CmsUser = { id: 1, documentId: "doc-1", blocked: false, ...created, roleId: null, kind: "person" };
        rows.push(row);
        if (creates++ === 0) await linkGate;
        if (created.roleId !== null) {
          try {
            linkRole(row, created.roleId);
          } catch (error) {
            rows.splice(rows.indexOf(row), 1);
            throw error;
          }
        }
        return { ...row };
      },
      async update(id, changes) {
        const row = rows.find((r) => r.id === id);
        if (row === undefined) throw new Error("row vanished");
        const { roleId, ...fields } = changes;
        Object.assign(row, fields);
        if (roleId !== undefined && roleId !== row.roleId) {
          row.roleId = null;
          linkRole(row, roleId!);
        }
        return { ...row };
      },
    };
    const a = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    const b = new UserProvisioner(store, { ttlMs: 30_000, maxEntries: 100 });
    const first = a.resolve(profile());
    while (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const second = await b.resolve(profile());
    releaseLink();
    expect(await first).toMatchObject({ id: 1, roleId: 1 });
    expect(second).toMatchObject({ id: 1, roleId: 1 });
    expect(rows).toEqual([expect.objectContaining({ id: 1, roleId: 1 })]);
  });
});
