// What most stack test files arrange in their hooks, registered by one call at
// the top of the file: a realm admin before the file's tests, and every user
// made through `newUser` deleted after them, whether the tests passed or not.
// Hooks a file registers after this call run after its beforeAll and before
// its afterAll (vitest's default hook order), so they may use the admin and
// the users.
import { afterAll, beforeAll } from "vitest";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "./realm-admin.ts";
import type { StackEnv } from "./stack-env.ts";

export interface RealmFixture {
  /** Available from the file's first hook or test on. */
  readonly admin: RealmAdmin;
  /** A fresh verified user (see RealmAdmin.createUser), deleted after the file's tests. */
  newUser(label: string): Promise<DisposableUser>;
}

export function realmFixture(stack: StackEnv): RealmFixture {
  let admin: RealmAdmin | undefined;
  const created: DisposableUser[] = [];

  beforeAll(async () => {
    admin = await realmAdmin(stack);
  });

  afterAll(async () => {
    for (const user of created.splice(0)) await admin?.deleteUser(user);
  });

  const ready = (): RealmAdmin => {
    if (!admin) throw new Error("realmFixture: the admin is used before the test file's beforeAll ran");
    return admin;
  };

  return {
    get admin() {
      return ready();
    },
    async newUser(label) {
      const user = await ready().createUser(label);
      created.push(user);
      return user;
    },
  };
}
