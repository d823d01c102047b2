// A DPoP proof (RFC 9449) is good for one request on the whole API, not one per
// instance: the production topology's cms instances share the proof ids through
// the cms database (`dpop_proof_ids`, decision 0081), so a proof one instance
// accepted is refused by the other. Both instances are called directly with the
// Host of the public cms address, so the proof's htu is right on each; a fresh
// proof on the second instance shows that the only thing wrong is the replay.
import { request } from "node:http";
import { beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { accessTokenHash, dpopKey, dpopProof, type DpopKey } from "./support/dpop-proof.ts";

const stack = prodStackEnv();
const fixture = realmFixture(stack);
const MOBILE_REDIRECT = "http://127.0.0.1:49152/oauth/callback";
const notesUrl = `${stack.cmsUrl}/api/notes`;
let instances: string[];
let key: DpopKey;
let token: string;

/** GET /api/notes on one instance, with the public address's Host (fetch may not set Host). */
function getNotes(instance: string, dpop: string): Promise<{ status: number; code?: string }> {
  const target = new URL("/api/notes", instance);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: "GET", headers: { host: new URL(stack.cmsUrl).host, authorization: `DPoP ${token}`, dpop, accept: "application/json" }, timeout: 30_000 }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => {
        const body = (() => {
          try {
            return JSON.parse(text) as { error?: { code?: string } };
          } catch {
            return {};
          }
        })();
        resolve({ status: response.statusCode ?? 0, code: body.error?.code });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${target.href}: no answer in 30 s`)));
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  instances = (process.env.STACK_CMS_INSTANCE_URLS ?? "").split(",").filter(Boolean);
  expect(instances.length).toBeGreaterThanOrEqual(2);
  key = await dpopKey();
  const user = await fixture.newUser("dpop-replay");
  const tokens = await tokensFor(stack, user.email, user.password, {
    clientId: "mobile",
    clientSecret: "",
    redirectUri: MOBILE_REDIRECT,
    scope: "openid notes:read",
    dpopProof: (url) => dpopProof(key, "POST", url),
  });
  token = tokens.access_token;
});

it("a proof accepted by one cms instance is refused by the other as replayed", async () => {
  const [first, second] = instances as [string, string];
  const ath = accessTokenHash(token);
  const once = await dpopProof(key, "GET", notesUrl, { ath });

  expect(await getNotes(first, once)).toEqual({ status: 200, code: undefined });
  expect(await getNotes(second, once)).toEqual({ status: 401, code: "dpop_proof_replayed" });
  // The second instance takes a fresh proof for the same request: only the replay was wrong.
  expect(await getNotes(second, await dpopProof(key, "GET", notesUrl, { ath }))).toEqual({ status: 200, code: undefined });
});
