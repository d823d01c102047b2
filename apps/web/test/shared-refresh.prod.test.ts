// Production topology: several web instances sharing Redis. target (docs/decisions/0011-measured-targets.md):
// 100 concurrent requests, spread over the instances, on a session whose
// access token has expired → exactly one refresh at Keycloak (its
// REFRESH_TOKEN events), zero failed requests. Also: a back-channel logout
// received by one instance ends the session on all of them.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

const CONCURRENT = 100;
const stack = prodStackEnv();
const realm = realmFixture(stack);
let lifetimeSeconds: number;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
});

afterAll(async () => {
  await restoreLifetime();
});

async function signedIn(label: string): Promise<{ user: DisposableUser; session: WebSession }> {
  const user = await realm.newUser(label);
  // Sign-in goes through the public origin; the session cookie is then valid on every instance.
  return { user, session: await signInToWeb(stack, user.email, user.password) };
}

/** The same browser session, sent to one particular instance. */
function at(instance: string, session: WebSession, path: string): Promise<Response> {
  return fetch(new URL(path, instance), { headers: { cookie: session.jar.header(stack.webUrl) }, redirect: "manual" });
}

describe("web instances sharing Redis", () => {
  it(`${CONCURRENT} concurrent requests over all instances with an expired access token: one refresh, none failed`, async () => {
    const { user, session } = await signedIn("shared-refresh");
    const signedInAt = Date.now();
    await restoreLifetime();
    await sleep(lifetimeSeconds * 1000 + 1500);

    const instances = stack.webInstanceUrls;
    const responses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => at(instances[i % instances.length]!, session, "/account")));
    const bodies = await Promise.all(responses.map((response) => response.text()));
    const failed = responses.filter((response, i) => response.status !== 200 || !bodies[i]!.includes(user.email));
    expect(failed.map((response) => `${response.url} ${response.status}`)).toEqual([]);

    expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN")).toBe(1);
    expect(await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN_ERROR")).toBe(0);
    for (const instance of instances) expect((await at(instance, session, "/account")).status).toBe(200);
  });

  it("a back-channel logout received by one instance ends the session on every instance", async () => {
    const { user, session } = await signedIn("shared-logout");
    for (const instance of stack.webInstanceUrls) expect((await at(instance, session, "/account")).status).toBe(200);
    await realm.admin.logoutUser(user);
    for (const instance of stack.webInstanceUrls) {
      const response = await at(instance, session, "/account");
      expect(response.status).toBe(307);
      expect(new URL(response.headers.get("location")!, instance).pathname).toBe("/sign-in");
    }
  });
});
