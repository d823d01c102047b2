// Hostile bearer tokens against the running Strapi, built from a genuine
// Keycloak access token and the realm's published key. Each must get a 401 with
// a stable code: never a 500, never a stack trace, never the token echoed.
import { createPublicKey, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { AUTH_ERROR_CODES } from "../src/auth/token/auth-error.ts";
import { callCms } from "./support/call-cms.ts";
import { hostileTokens, type HostileCase } from "./support/hostile-tokens.ts";

const stack = stackEnv();
const fixture = realmFixture(stack);
let validToken: string;
let cases: HostileCase[] = [];

beforeAll(async () => {
  const victim = await fixture.newUser("cms-hostile");
  validToken = (await tokensFor(stack, victim.email, victim.password)).access_token;
  const kid = decodeProtectedHeader(validToken).kid;
  const jwks = (await (await fetch(`${stack.issuer}/protocol/openid-connect/certs`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const published = jwks.keys.find((key) => key.kid === kid);
  if (!published) throw new Error(`The realm does not publish the key ${kid} its token names.`);
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  cases = hostileTokens({
    validToken,
    realmPublicKey: createPublicKey({ key: published, format: "jwk" }),
    attackerPrivateKey: attacker.privateKey,
    attackerPublicKey: attacker.publicKey,
  });
});

describe("hostile bearer tokens", () => {
  it("the genuine token is accepted (the cases are built from a working one)", async () => {
    expect((await callCms(stack, "/api/notes", { token: validToken })).status).toBe(200);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it("every case gets 401 with a stable code, a Bearer challenge and no stack trace", async () => {
    const failures: string[] = [];
    for (const { name, authorization } of cases) {
      for (const [method, body] of [["GET"], ["POST", { data: { title: "hostile" } }]] as const) {
        const response = await callCms(stack, "/api/notes", { method, authorization, body });
        const code = response.json?.error?.code;
        const problems = [
          response.status !== 401 && `status ${response.status}`,
          !AUTH_ERROR_CODES.includes(code) && `code ${JSON.stringify(code)}`,
          !response.headers.get("www-authenticate")?.startsWith("Bearer ") && "no Bearer challenge",
          !response.headers.get("content-type")?.includes("application/json") && "not JSON",
          /\bat .+:\d+:\d+|Error:|"stack"/.test(response.text) && "stack trace in body",
          response.text.includes(validToken.split(".")[2]!) && "token echoed",
        ].filter(Boolean);
        if (problems.length > 0) failures.push(`${method} ${name}: ${problems.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("a token larger than Node's header limit is refused by the HTTP layer, not with a 500", async () => {
    const response = await callCms(stack, "/api/notes", { token: `${validToken}${"A".repeat(20_000)}` });
    expect([401, 431]).toContain(response.status);
  });

  it("Strapi still serves the genuine token afterwards", async () => {
    expect((await callCms(stack, "/api/notes", { token: validToken })).status).toBe(200);
  });
});
