// The stream keeper against the real transmitter: the cms stream deleted in
// Keycloak (through the SSF stream API, as an operator or a cleanup script
// would) is noticed at the next status read (KEYCLOAK_SSF_STATUS_INTERVAL_SECONDS,
// 5 s), not at the next verification (120 s): Strapi falls back to
// introspection, registers the stream again and returns to pushed revocations.
// Keycloak drops what happens while no stream exists; a user signed out in that
// gap is still refused after the stream is back, because tokens issued before
// the stream healed are introspected as well (docs/decisions/0057).
import { beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./support/call-cms.ts";
import { revocationProbes } from "./support/revocation-probes.ts";
import { deleteStream, ssfHealth, streamIds, untilPushed } from "./support/ssf-receiver.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
const { signedIn } = revocationProbes(stack, fixture);
/** The status interval (5 s) plus a re-registration, generous for a loaded two-core machine. */
const NOTICED_WITHIN_MS = 30_000;

beforeAll(async () => {
  await untilPushed(stack);
  await fixture.admin.storeIntrospectionEvents();
}, 120_000);

it("a stream deleted in Keycloak is registered again within seconds; a sign-out in the gap is still honoured, and revocations are pushed again", async () => {
  // Its token must outlive the wait for the new stream's verification, so only the revocation can end it.
  const inGap = await signedIn("ssf-vanished-gap", 600);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const [before] = await streamIds(stack);
  expect(before).toBeDefined();
  await deleteStream(stack, before!);
  // Signed out while no stream exists: Keycloak has nobody to push this to.
  await fixture.admin.logoutUser(inGap.user);
  const deletedAt = Date.now();

  // Noticed at the next status read, then registered again.
  let after: string | undefined;
  while (Date.now() - deletedAt < NOTICED_WITHIN_MS && (after === undefined || after === before)) {
    [after] = await streamIds(stack);
    if (after === undefined || after === before) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(after, `the stream was not registered again within ${NOTICED_WITHIN_MS} ms`).toBeDefined();
  expect(after).not.toBe(before);
  // Healthy once the new stream's verification event arrives: Keycloak allows one verification per
  // receiver per 60 s, so this can take a minute; meanwhile every request is introspected.
  await untilPushed(stack, 90_000);
  const healed = await ssfHealth(stack);
  expect(healed).toMatchObject({ pushed: true, streamRegistered: true, streamHealthy: true, streamState: "enabled" });
  expect(healed.resumedAt).not.toBeNull();

  // The gap's sign-out is honoured: the token predates the healing, so Strapi asks Keycloak.
  const since = Date.now() - 1000;
  const gapAnswer = await callCms(stack, "/api/notes", { token: inGap.tokens.access_token });
  expect(gapAnswer.status).toBe(401);
  expect(gapAnswer.json?.error?.code).toBe("session_revoked");
  await expect.poll(() => fixture.admin.countIntrospections(stack.cmsClientId, since), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

  // Pushed again: an admin sign-out reaches Strapi on the new stream.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const user = await fixture.newUser("ssf-stream-vanished");
  const tokens = await tokensFor(stack, user.email, user.password);
  expect((await callCms(stack, "/api/notes", { token: tokens.access_token })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const health = await ssfHealth(stack);
  await fixture.admin.logoutUser(user);
  await expect
    .poll(async () => (await ssfHealth(stack)).lastRevocationAt, { timeout: 10_000 })
    .not.toBe(health.lastRevocationAt);
  expect((await callCms(stack, "/api/notes", { token: tokens.access_token })).status).toBe(401);
}, 180_000);
