// What the revocation tests do again and again against the running Strapi: a
// fresh user signed in (their token accepted once), and polling until a token
// is refused as revoked.
import { expect } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { RealmFixture } from "@stack/testkit/realm-fixture";
import type { StackEnv } from "@stack/testkit/stack-env";
import { callCms } from "./call-cms.ts";

// Tokens carry whole seconds and the cut-off of a user-wide revocation is the
// event's second (as Keycloak's not-before): tokens of that same second are
// left to introspection. A test of the push alone therefore acts in a later
// second than the token it checks.
export const pastThisSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

export function revocationProbes(stack: StackEnv, fixture: RealmFixture) {
  /** A new user with tokens Strapi accepts; `lifespanSeconds` sets the web access token's lifespan for this sign-in. */
  async function signedIn(label: string, lifespanSeconds?: number) {
    const user = await fixture.newUser(label);
    const issue = () => tokensFor(stack, user.email, user.password);
    const tokens = lifespanSeconds ? await fixture.admin.withWebAccessTokenLifespan(lifespanSeconds, issue) : await issue();
    expect((await callCms(stack, "/api/notes", { token: tokens.access_token })).status).toBe(200);
    return { user, tokens };
  }

  /** Resolves with the time from `start` until Strapi refuses the token as revoked; fails after `timeoutMs`. */
  async function refusedWithin(token: string, start: number, timeoutMs: number, pollMs = 50): Promise<number> {
    while (Date.now() - start <= timeoutMs) {
      const response = await callCms(stack, "/api/notes", { token });
      if (response.status === 401) {
        expect(response.json?.error?.code).toBe("session_revoked");
        const latency = Date.now() - start;
        console.info(`refused ${latency} ms after the revocation`);
        return latency;
      }
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new Error(`the token was still accepted ${timeoutMs} ms after the revocation`);
  }

  return { signedIn, refusedWithin };
}
