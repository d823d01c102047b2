// The embedded token store keeps sessions on disk: a restart of the web app
// (deploy, crash) does not sign anybody out.
import { expect, it } from "vitest";
import { realmFixture } from "../../../infra/src/testing/realm-fixture.ts";
import { stackControl } from "../../../infra/src/testing/stack-control.ts";
import { stackEnv } from "../../../infra/src/testing/stack-env.ts";
import { signInToWeb } from "../../../infra/src/testing/web-session.ts";

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
