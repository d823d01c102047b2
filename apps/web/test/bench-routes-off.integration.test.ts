// The web app's bench pages render a protected page for a fixed user without any session, and a
// route counts the token store's reads (src/app/bench, src/app/api/bench). They exist only with
// WEB_BENCH_ROUTES=true, which only the bench stack sets; the test stack runs without them, as
// every deployment does.
import { expect, it } from "vitest";
import { stackEnv } from "@stack/testkit/stack-env";

const stack = stackEnv();

it("answers 404 on the bench pages and the store-read counter", async () => {
  for (const path of ["/bench/account/without-session", "/bench/account/with-session", "/api/bench/token-store-reads"]) {
    const response = await fetch(new URL(path, stack.webUrl), { redirect: "manual" });
    const body = await response.text();
    expect(response.status, path).toBe(404);
    expect(body, path).not.toContain("bench-fixed@example.invalid");
  }
});
