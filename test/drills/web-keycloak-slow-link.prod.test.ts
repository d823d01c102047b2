// Drill (production topology, network namespaces): a web instance on its own
// simulated host, reaching Redis and the cms balancer over one link ("app")
// and Keycloak over another ("keycloak"). The Keycloak link gets 300 ms of
// latency in each direction (its forwarder holds every chunk 300 ms) and 5 %
// packet loss in each direction (nftables inside the namespace): this kernel
// has no sch_netem, decision 0104. A refresh storm (parallel requests of one
// session whose access token expired) on that instance still makes exactly one
// refresh at Keycloak, and every request succeeds. Needs root, ip and nft;
// otherwise skipped with one line saying which is missing.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordDrill } from "@stack/testkit/drill-record";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { signInToWeb } from "@stack/testkit/web-session";
import { createNetnsHost, lossUnavailable, netnsUnavailable, type NetnsHost } from "./support/netns.ts";
import { startWebInNetns, type NetnsInstance } from "./support/netns-instance.ts";

const CONCURRENT = 50;
const unavailable = netnsUnavailable() ?? lossUnavailable();
if (unavailable) console.info(unavailable);
const stack = prodStackEnv();
const realm = realmFixture(stack);
let host: NetnsHost | undefined;
let web: NetnsInstance | undefined;
let lifetimeSeconds = 0;
let restoreLifetime: () => Promise<void> = async () => {};

beforeAll(async () => {
  if (unavailable) return;
  ({ lifetimeSeconds, restore: restoreLifetime } = await realm.admin.shortAccessTokens(30, 10));
  host = createNetnsHost("kcfweb", 232, ["app", "keycloak"]);
  web = await startWebInNetns(host, "web-netns");
}, 300_000);

afterAll(async () => {
  try {
    await web?.stop();
  } finally {
    host?.remove();
    await restoreLifetime();
  }
});

it.skipIf(unavailable !== undefined)(
  `300 ms latency and 5 % loss between the web instance and Keycloak: ${CONCURRENT} parallel requests with an expired access token make exactly one refresh`,
  async () => {
    const user = await realm.newUser("slow-link-storm");
    // Signed in through the public origin; the sealed cookie and the Redis session work on every instance.
    const session = await signInToWeb(stack, user.email, user.password);
    const signedInAt = Date.now();
    const at = (path: string) => fetch(new URL(path, web!.url), { headers: { cookie: session.jar.header(stack.webUrl) }, redirect: "manual" });
    expect((await at("/account")).status).toBe(200);

    web!.keycloak.setLatency(300);
    host!.loss("keycloak", 5);
    let stormMs = 0;
    let failedCount = 0;
    try {
      await sleep(Math.max(0, signedInAt + lifetimeSeconds * 1000 + 1_500 - Date.now()));
      const stormStart = Date.now();
      const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => at("/account")));
      stormMs = Date.now() - stormStart;
      const bodies = await Promise.all(responses.map((response) => response.text()));
      const failed = responses.filter((response, i) => response.status !== 200 || !bodies[i]!.includes(user.email));
      failedCount = failed.length;
      expect(failed.map((response) => response.status)).toEqual([]);
    } finally {
      host!.loss("keycloak", 0);
      web!.keycloak.setLatency(0);
    }
    const refreshes = await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN");
    const refreshErrors = await realm.admin.countEvents(user, signedInAt, "REFRESH_TOKEN_ERROR");
    recordDrill(stack.stateDir, "web-keycloak-slow-link", { latencyMs: 300, lossPercent: 5, parallelRequests: CONCURRENT, stormMs, failed: failedCount, refreshes, refreshErrors });
    console.info(`[drill] slow link: ${CONCURRENT} parallel requests in ${stormMs} ms, ${failedCount} failed, ${refreshes} refresh(es) at Keycloak, ${refreshErrors} refresh errors`);
    expect(refreshes).toBe(1);
    expect(refreshErrors).toBe(0);
  },
  300_000,
);
