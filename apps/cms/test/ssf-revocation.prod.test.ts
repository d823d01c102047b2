// Revocation by Shared Signals in the production topology: one push stream for
// every cms instance, its push URL the cms load balancer, the instances sharing
// the revocation table on PostgreSQL and waking each other with LISTEN/NOTIFY
// (docs/decisions/0055-one-stream-for-every-cms-instance.md, 0056). Each way a
// session ends in Keycloak makes BOTH instances refuse the old token, each
// polled directly. This suite runs the table poll at 15 s (stack/src/parts/cms-server.ts),
// and with a healthy stream no introspection is made, so a refusal on both
// instances within the deadline below can only come from the push plus NOTIFY.
// The 1-second figure is the bench's; here the latency is logged.
import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CookieJar, fetchWithJar } from "@stack/testkit/cookie-jar";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackControl } from "@stack/testkit/stack-control";

const stack = prodStackEnv();
const fixture = realmFixture(stack);
/** Well under the 15 s table poll and the 5 s introspection window, generous for a loaded two-core machine. */
const DEADLINE_MS = 4000;
let instances: string[];

interface Health {
  mode: string;
  pushed: boolean;
  streamHealthy: boolean;
  tableUpdates: string;
}

async function health(instance: string): Promise<Health | undefined> {
  const response = await fetch(`${instance}/api/ssf/health`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  return response?.ok ? ((await response.json()) as Health) : undefined;
}

/** Waits until the instance checks requests against pushed revocations and LISTENs for the others' inserts. */
async function untilPushedAndListening(instance: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Health | undefined;
  while (Date.now() < deadline) {
    last = await health(instance);
    if (last?.pushed && last.tableUpdates === "listen") return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${instance}: not on pushed revocations with LISTEN: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  instances = (process.env.STACK_CMS_INSTANCE_URLS ?? "").split(",").filter(Boolean);
  expect(instances.length).toBeGreaterThanOrEqual(2);
  for (const instance of instances) await untilPushedAndListening(instance);
}, 300_000);

async function status(instance: string, token: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${instance}/api/notes`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

/** Polls every instance directly until each refuses the token; returns each one's latency from `start`. */
async function refusedOnEveryInstance(token: string, start: number): Promise<number[]> {
  const latencies = await Promise.all(
    instances.map(async (instance) => {
      while (Date.now() - start <= DEADLINE_MS) {
        const answer = await status(instance, token);
        if (answer.status === 401) {
          expect(answer.code, instance).toBe("session_revoked");
          return Date.now() - start;
        }
        expect(answer.status, instance).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${instance} still accepted the token ${DEADLINE_MS} ms after the revocation`);
    }),
  );
  console.info(`refused on ${instances.map((instance, i) => `${instance} after ${latencies[i]} ms`).join(", ")}`);
  return latencies;
}

// A user-wide revocation's cut-off is the event's second: act in a later second than the token.
const pastThisSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

async function signedIn(label: string): Promise<{ user: DisposableUser; token: string; refreshToken: string }> {
  const user = await fixture.newUser(label);
  const tokens = await tokensFor(stack, user.email, user.password);
  for (const instance of instances) expect((await status(instance, tokens.access_token)).status).toBe(200);
  return { user, token: tokens.access_token, refreshToken: tokens.refresh_token };
}

/** The user changes their own password on Keycloak's pages (kc_action UPDATE_PASSWORD), as the web app's account page sends them. */
async function changeOwnPassword(user: DisposableUser, newPassword: string): Promise<void> {
  const jar = new CookieJar();
  const auth = new URL(`${stack.issuer}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: stack.webClientId,
    response_type: "code",
    scope: "openid",
    redirect_uri: `${stack.webUrl}/api/auth/callback/keycloak`,
    state: randomBytes(8).toString("hex"),
    kc_action: "UPDATE_PASSWORD",
    // The web client requires PKCE.
    code_challenge: createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const formAction = (html: string) => {
    const match = /<form[^>]*action="([^"]+)"/.exec(html);
    if (!match) throw new Error(`no form on Keycloak's page: ${html.slice(0, 300)}`);
    return match[1]!.replaceAll("&amp;", "&");
  };
  let page = await fetchWithJar(jar, auth.toString());
  expect(page.status, `authorization request: ${page.headers.get("location") ?? ""}`).toBe(200);
  page = await fetchWithJar(jar, formAction(await page.text()), {
    method: "POST",
    body: new URLSearchParams({ username: user.email, password: user.password }),
  });
  // Keycloak may redirect to its required-action URL before showing the form.
  for (let hop = 0; page.status === 302 && hop < 5; hop++) {
    const location = page.headers.get("location") ?? "";
    expect(location, "the login ended before the update-password form").not.toContain("/api/auth/callback/keycloak");
    page = await fetchWithJar(jar, new URL(location, stack.issuer).toString());
  }
  expect(page.status, "the update-password form follows the login").toBe(200);
  page = await fetchWithJar(jar, formAction(await page.text()), {
    method: "POST",
    body: new URLSearchParams({ "password-new": newPassword, "password-confirm": newPassword }),
  });
  expect(page.status, await page.clone().text().then((t) => t.slice(0, 300))).toBe(302);
  expect(page.headers.get("location")).toContain("/api/auth/callback/keycloak");
}

describe("every cms instance refuses a revoked token (push to the load balancer, NOTIFY to the other instance)", () => {
  it("the stream is healthy on every instance, and every instance LISTENs", async () => {
    for (const instance of instances) expect(await health(instance)).toMatchObject({ mode: "ssf", pushed: true, streamHealthy: true, tableUpdates: "listen" });
  });

  it("the user signs out", async () => {
    const { token, refreshToken } = await signedIn("ssf-prod-logout");
    const bystander = await signedIn("ssf-prod-bystander");
    const start = Date.now();
    const logout = await fetch(`${stack.issuer}/protocol/openid-connect/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: stack.webClientId, client_secret: stack.webClientSecret, refresh_token: refreshToken }),
    });
    expect(logout.status).toBe(204);
    await refusedOnEveryInstance(token, start);
    for (const instance of instances) expect((await status(instance, bystander.token)).status).toBe(200);
  });

  it("an admin signs the user out", async () => {
    const { user, token } = await signedIn("ssf-prod-admin-logout");
    await pastThisSecond();
    const start = Date.now();
    await fixture.admin.logoutUser(user);
    await refusedOnEveryInstance(token, start);
  });

  it("the user changes their password", async () => {
    const { user, token } = await signedIn("ssf-prod-own-password");
    await pastThisSecond();
    const start = Date.now();
    await changeOwnPassword(user, `${user.password}-changed`);
    await refusedOnEveryInstance(token, start);
  });

  it("an admin resets the password", async () => {
    const { user, token } = await signedIn("ssf-prod-admin-reset");
    await pastThisSecond();
    const start = Date.now();
    await fixture.admin.client.users.resetPassword({
      realm: stack.realm,
      id: user.id,
      credential: { type: "password", value: `${user.password}-new`, temporary: false },
    });
    await refusedOnEveryInstance(token, start);
  });

  it("an admin disables the user", async () => {
    const { user, token } = await signedIn("ssf-prod-disable");
    await pastThisSecond();
    const start = Date.now();
    await fixture.admin.disableUser(user);
    await refusedOnEveryInstance(token, start);
  });

  it("an admin deletes the user", async () => {
    const { user, token } = await signedIn("ssf-prod-delete");
    await pastThisSecond();
    const start = Date.now();
    await fixture.admin.client.users.del({ realm: stack.realm, id: user.id });
    await refusedOnEveryInstance(token, start);
  });
});

describe("a restarted cms instance still refuses", () => {
  it("cms-2 restarted after an admin signed the user out: back on pushed revocations, it refuses the old token from the table", async () => {
    const { user, token } = await signedIn("ssf-prod-restart");
    await pastThisSecond();
    const start = Date.now();
    await fixture.admin.logoutUser(user);
    await refusedOnEveryInstance(token, start);

    await stackControl.restart("cms-2");
    // Pushed (stream healthy, no introspection): the refusal comes from the table loaded at start.
    await untilPushedAndListening(instances[1]!);
    expect(await status(instances[1]!, token)).toEqual({ status: 401, code: "session_revoked" });
    expect(await status(instances[0]!, token)).toEqual({ status: 401, code: "session_revoked" });
  }, 300_000);
});
