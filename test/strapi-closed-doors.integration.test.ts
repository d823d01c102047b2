// Strapi's second door stays shut: with the admin panel off (the default, and
// the test stack's setting), Strapi answers only its content API and health
// check. Its admin API (`/admin/register-admin` made whoever called first a
// super admin who read every note through `/content-manager`) and every other
// route answer 404, with or without a Keycloak token.
import { DatabaseSync } from "node:sqlite";
import { beforeAll, describe, expect, it } from "vitest";
import { cmsEnv } from "@stack/runner/parts/cms-server";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { loadStackConfig } from "@stack/runner/stack-config";
import { callJson } from "./support/call-json.ts";
import { ATTACKER_ADMIN, CLOSED_CMS_REQUESTS } from "./support/closed-cms-requests.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
let accessToken: string;

beforeAll(async () => {
  const user = await fixture.newUser("closed-doors");
  accessToken = (await tokensFor(stack, user.email, user.password)).access_token;
});

const adminUserCount = (): number => {
  const file = cmsEnv(loadStackConfig("test", process.env), 0).DATABASE_FILENAME!;
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM admin_users").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("Strapi with the admin panel off", () => {
  it.each(CLOSED_CMS_REQUESTS)("%s %s answers 404, anonymous and with a Keycloak token", async (method, path) => {
    for (const token of [undefined, accessToken]) {
      const response = await callJson(stack.cmsUrl, path, { method, token, body: method === "POST" ? ATTACKER_ADMIN : undefined });
      expect(response.status, `${method} ${path} ${token ? "with" : "without"} a token`).toBe(404);
      expect(response.text).not.toMatch(/token|jwt/i);
    }
  });

  it("never creates an admin through register-admin: the admin table stays empty and the login does not exist", async () => {
    expect(adminUserCount()).toBe(0);
    const registered = await callJson(stack.cmsUrl, "/admin/register-admin", { method: "POST", body: ATTACKER_ADMIN });
    expect(registered.status).toBe(404);
    expect(adminUserCount()).toBe(0);
    const login = await callJson(stack.cmsUrl, "/admin/login", { method: "POST", body: { email: ATTACKER_ADMIN.email, password: ATTACKER_ADMIN.password } });
    expect(login.status).toBe(404);
  });

  it("still serves the content API and the health check, and Strapi's own sign-in stays gone", async () => {
    expect((await callJson(stack.cmsUrl, "/_health")).status).toBe(204);
    expect((await callJson(stack.cmsUrl, "/api/notes", { token: accessToken })).status).toBe(200);
    expect((await callJson(stack.cmsUrl, "/api/users/me", { token: accessToken })).status).toBe(200);
    expect((await callJson(stack.cmsUrl, "/api/articles")).status).toBe(200);
    expect((await callJson(stack.cmsUrl, "/api/notes")).status).toBe(401);
    expect((await callJson(stack.cmsUrl, "/api/auth/local", { method: "POST", body: { identifier: "someone@example.com", password: "any-password-1" } })).status).toBe(410);
    expect((await callJson(stack.cmsUrl, "/api/connect/github")).status).toBe(410);
  });
});
