// The bench's comparison routes (src/bench/) exist only with CMS_BENCH_ROUTES=true, which only the
// bench stack sets: one of them serves content with no token at all. The test stack runs without
// them, as every deployment does, so each of their paths is an unknown route here.
import { expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv } from "@stack/testkit/stack-env";
import { BENCH_MODES } from "../src/bench/bench-routes";

const stack = stackEnv();
const fixture = realmFixture(stack);

it("answers 404 on every bench route, with and without a Keycloak token", async () => {
  const user = await fixture.newUser("bench-off");
  const token = (await tokensFor(stack, user.email, user.password)).access_token;
  const paths = BENCH_MODES.flatMap((mode) => [`/api/bench/${mode}/ping`, `/api/bench/${mode}/articles`]);
  for (const authorization of [undefined, `Bearer ${token}`]) {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    for (const path of paths) {
      const response = await fetch(new URL(path, stack.cmsUrl), { headers });
      expect(response.status, `GET ${path}${authorization ? " with a token" : ""}`).toBe(404);
    }
    // No POST route matches; Strapi's router answers 405 where some GET route's pattern would.
    const issue = await fetch(new URL("/api/bench/users-permissions-token", stack.cmsUrl), { method: "POST", headers });
    expect([404, 405], `POST /api/bench/users-permissions-token${authorization ? " with a token" : ""}: ${issue.status}`).toContain(issue.status);
    expect(await issue.text()).not.toContain("jwt");
  }
  // The same Strapi serves its product routes meanwhile: the 404s are not an outage.
  const articles = await fetch(new URL("/api/articles", stack.cmsUrl));
  expect(articles.status).toBe(200);
});
