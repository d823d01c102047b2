// target (docs/decisions/0011-measured-targets.md): 100 concurrent requests on a session whose access token
// has expired → exactly one refresh at Keycloak, zero failed requests, zero
// sign-outs. Refreshes are counted from Keycloak's own REFRESH_TOKEN events.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { signInToWeb } from "@stack/testkit/web-session";

const CONCURRENT = 100;
const stack = stackEnv();
const realm = realmFixture(stack);
let restoreLifetime: () => Promise<void> = async () => {};
let lifetimeSeconds: number;

beforeAll(async () => {
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
});

afterAll(async () => {
  await restoreLifetime();
});

it(`${CONCURRENT} concurrent requests with an expired access token: one refresh at Keycloak, every request served`, async () => {
  const user = await realm.newUser("refresh-race");
  const session = await signInToWeb(stack, user.email, user.password);
  const signedInAt = Date.now();
  await restoreLifetime();
  // Waiting for the token to expire is the arrangement, not an assertion on time.
  await sleep(lifetimeSeconds * 1000 + 1500);

  const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => session.fetch("/account")));
  const bodies = await Promise.all(responses.map((response) => response.text()));
  const failed = responses.filter((response, i) => response.status !== 200 || !bodies[i]!.includes(user.email));
  expect(failed.map((response) => `${response.status} ${response.headers.get("location") ?? ""}`)).toEqual([]);

  expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN")).toBe(1);
  expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN_ERROR")).toBe(0);

  // Still signed in afterwards, with the rotated tokens.
  expect((await session.fetch("/account")).status).toBe(200);
  expect(await (await session.fetch("/api/auth/session")).json()).toMatchObject({ user: { email: user.email } });
});
