// A push outage against the real Keycloak and Strapi: the cms stream is set to
// `disabled` through Keycloak's SSF status API (SSF 1.0 §8.1.2.2), and Keycloak's
// transmitter then drops every event for it, verification events included: push
// is cut as it would be by an operator or a broken delivery. Strapi notices at
// its next status read (KEYCLOAK_SSF_STATUS_INTERVAL_SECONDS, 5 s), reports the
// stream unhealthy in /api/ssf/health (and logs it), and falls back to
// introspection: an admin sign-out, never pushed, is honoured within the
// introspection window (KEYCLOAK_REVOCATION_WINDOW_SECONDS, 5 s). Enabled again,
// the stream is healthy at the next read and a further revocation is refused
// through push, with no introspection. docs/decisions/0057.
import { afterAll, beforeAll, expect, it } from "vitest";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { pastThisSecond, revocationProbes } from "./support/revocation-probes.ts";
import { setStreamStatus, ssfHealth, streamIds, untilPushed, type SsfHealth } from "./support/ssf-receiver.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const { signedIn, refusedWithin } = revocationProbes(stack, fixture);
/** The status interval (5 s), generous for a loaded two-core machine. */
const NOTICED_WITHIN_MS = 30_000;
/** The introspection window (5 s) plus room for a loaded machine. */
const FALLBACK_DEADLINE_MS = 12_000;
/** Below the 5 s introspection window, so only a push can meet it. */
const PUSH_DEADLINE_MS = 2500;
let streamId: string | undefined;

beforeAll(async () => {
  await untilPushed(stack);
  await fixture.admin.storeIntrospectionEvents();
  [streamId] = await streamIds(stack);
}, 120_000);

// Whatever happened, the stream is left enabled for the tests that follow.
afterAll(async () => {
  if (streamId) await setStreamStatus(stack, streamId, "enabled").catch(() => undefined);
}, 30_000);

async function untilHealth(match: (health: SsfHealth) => boolean, what: string): Promise<SsfHealth> {
  const deadline = Date.now() + NOTICED_WITHIN_MS;
  let last: SsfHealth | undefined;
  while (Date.now() < deadline) {
    last = await ssfHealth(stack);
    if (match(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the cms did not report ${what} within ${NOTICED_WITHIN_MS} ms: ${JSON.stringify(last)}`);
}

it("push cut (stream disabled in Keycloak): unhealthy, revocations honoured by introspection; enabled again: revocations pushed, no introspection", async () => {
  expect(streamId).toBeDefined();
  const cut = await signedIn("ssf-outage-cut");
  const beforeTheCut = await signedIn("ssf-outage-earlier");
  await pastThisSecond();

  // Cut.
  await setStreamStatus(stack, streamId!, "disabled");
  const down = await untilHealth((health) => !health.streamHealthy, "the stream unhealthy");
  expect(down).toMatchObject({ mode: "ssf", pushed: false, streamRegistered: true, streamHealthy: false, streamState: "disabled" });

  // Fallback: the next request is introspected.
  const fallbackSince = Date.now() - 1000;
  expect((await callCms(stack, "/api/notes", { token: cut.tokens.access_token })).status).toBe(200);
  await expect.poll(() => fixture.admin.countIntrospections(stack.cmsClientId, fallbackSince), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

  // An admin sign-out while push is cut: Keycloak drops its event, introspection refuses the token within the window.
  await pastThisSecond();
  const start = Date.now();
  await fixture.admin.logoutUser(cut.user);
  expect(await refusedWithin(cut.tokens.access_token, start, FALLBACK_DEADLINE_MS)).toBeLessThanOrEqual(FALLBACK_DEADLINE_MS);
  expect((await ssfHealth(stack)).lastRevocationAt, "a revocation was pushed to a disabled stream").toBe(down.lastRevocationAt);

  // Healed.
  await setStreamStatus(stack, streamId!, "enabled");
  const up = await untilHealth((health) => health.pushed, "pushed revocations again");
  expect(up).toMatchObject({ streamHealthy: true, streamState: "enabled" });
  expect(up.resumedAt).not.toBeNull();
  expect(await streamIds(stack)).toEqual([streamId]);

  // A token issued before the stream healed is checked with Keycloak as well (its revocation may have been dropped).
  const catchUpSince = Date.now() - 1000;
  expect((await callCms(stack, "/api/notes", { token: beforeTheCut.tokens.access_token })).status).toBe(200);
  await expect.poll(() => fixture.admin.countIntrospections(stack.cmsClientId, catchUpSince), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

  // A further revocation, of a session opened after the stream healed, is refused through push with no introspection.
  await pastThisSecond();
  const since = Date.now();
  const after = await signedIn("ssf-outage-after");
  await pastThisSecond();
  const pushStart = Date.now();
  await fixture.admin.logoutUser(after.user);
  expect(await refusedWithin(after.tokens.access_token, pushStart, PUSH_DEADLINE_MS)).toBeLessThanOrEqual(PUSH_DEADLINE_MS);
  expect((await ssfHealth(stack)).lastRevocationAt).not.toBe(up.lastRevocationAt);
  expect(await fixture.admin.countIntrospections(stack.cmsClientId, since)).toBe(0);
}, 180_000);
