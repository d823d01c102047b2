// Drill: Strapi cannot reach Keycloak's JWKS endpoint. A dedicated Strapi
// instance reaches Keycloak through a proxy the test can cut, with a short key
// cache age (10 s) and the revocation check off, so that only the key store is
// under test. After the cut, its key set grows older than the cache age, the
// store tries to refresh it (the proxy counts the refused attempts) and must
// keep verifying with the keys it has: a store that forgot its keys on a
// failed fetch would answer 503 keys_unavailable here. Verification stays
// real: a token with a broken signature is still refused.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCuttableProxy, type CuttableProxy } from "@stack/testkit/cuttable-proxy";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "@stack/testkit/realm-admin";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { startExtraCms, type ExtraCms } from "./support/extra-cms-instance.ts";

const JWKS_MAX_AGE_SECONDS = 10;
const JWKS_COOLDOWN_SECONDS = 1;
let stack: StackEnv;
let admin: RealmAdmin;
let user: DisposableUser;
let proxy: CuttableProxy;
let cms: ExtraCms | undefined;
let token: string;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  user = await admin.createUser("jwks-drill");
  token = await admin.withWebAccessTokenLifespan(600, async () => (await tokensFor(stack, user.email, user.password)).access_token);
  const keycloak = new URL(stack.keycloakUrl);
  proxy = await startCuttableProxy({ host: "127.0.0.1", port: Number(keycloak.port) });
  cms = await startExtraCms("cms-jwks-drill", {
    KEYCLOAK_INTERNAL_URL: proxy.url,
    KEYCLOAK_JWKS_MAX_AGE_SECONDS: String(JWKS_MAX_AGE_SECONDS),
    KEYCLOAK_JWKS_COOLDOWN_SECONDS: String(JWKS_COOLDOWN_SECONDS),
    KEYCLOAK_REVOCATION_WINDOW_SECONDS: "0",
  });
});

afterAll(async () => {
  await cms?.stop();
  await proxy?.close();
  await admin.deleteUser(user);
});

async function getNotes(bearer: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${cms!.url}/api/notes`, { headers: { authorization: `Bearer ${bearer}`, accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
  return { status: response.status, code: body?.error?.code };
}

it("JWKS unreachable past the key cache age: Strapi keeps verifying with the keys it has", async () => {
  expect(await getNotes(token)).toMatchObject({ status: 200 });
  expect(proxy.forwarded).toBeGreaterThanOrEqual(1);

  proxy.cut();
  // The arrangement: let the key set grow older than its cache age.
  await sleep((JWKS_MAX_AGE_SECONDS + 1) * 1000);
  // This request finds the keys old and starts a background refresh, which fails.
  expect(await getNotes(token)).toMatchObject({ status: 200 });
  await sleep((JWKS_COOLDOWN_SECONDS + 1) * 1000);
  expect(proxy.refused).toBeGreaterThanOrEqual(1);

  // After the failed refresh: still verifying, with the cached keys.
  for (let i = 0; i < 3; i++) expect(await getNotes(token)).toMatchObject({ status: 200 });
  const [header, payload, signature] = token.split(".");
  const broken = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
  expect(await getNotes(broken)).toEqual({ status: 401, code: "invalid_signature" });

  proxy.restore();
  expect(await getNotes(token)).toMatchObject({ status: 200 });
});
