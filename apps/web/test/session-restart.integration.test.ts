// The embedded token store keeps sessions on disk: a restart of the web app
// (deploy, crash) does not sign anybody out.
import { expect, it } from "vitest";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb } from "@stack/testkit/web-session";

const stack = stackEnv();
const realm = realmFixture(stack);

it("a signed-in user is still signed in after the web app restarts", async () => {
  const user = await realm.newUser("restart");
  const session = await signInToWeb(stack, user.email, user.password);
  expect((await session.fetch("/account")).status).toBe(200);

  await stackControl.restart("web");

  const account = await session.fetch("/account");
  expect(account.status).toBe(200);
  expect(await account.text()).toContain(user.email);
});
