// Drill (production topology, network namespaces): a Strapi instance on its
// own simulated host, reaching the stack's PostgreSQL over one link ("app")
// and Keycloak over another ("keycloak"). The Keycloak link is taken down for
// 30 s (`ip link set down` on both ends: the route is gone, every connection
// attempt fails with ENETUNREACH, as on a host that lost its network).
// Meanwhile the instance keeps verifying tokens with the keys it cached (its key
// cache age is shorter than the cut, so it does try to refresh them and fails),
// and revocation degrades to the stated fallback (apps/cms/README.md, "Revocation
// window": KEYCLOAK_INTROSPECTION_UNREACHABLE=reads-open, reads of a session
// confirmed less than 60 s ago pass, writes get 503 with Retry-After). Once the
// link is back, writes work again and an admin sign-out is refused again.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { recordDrill } from "@stack/testkit/drill-record";
import { prodStackEnv } from "@stack/testkit/prod-stack-env";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { createNetnsHost, netnsUnavailable, type NetnsHost } from "./support/netns.ts";
import { startCmsInNetns, type NetnsInstance } from "./support/netns-instance.ts";

const CUT_SECONDS = 30;
const JWKS_MAX_AGE_SECONDS = 10;
const unavailable = netnsUnavailable();
if (unavailable) console.info(unavailable);
const stack = prodStackEnv();
const realm = realmFixture(stack);
let host: NetnsHost | undefined;
let cms: NetnsInstance | undefined;

beforeAll(async () => {
  if (unavailable) return;
  host = createNetnsHost("kcfcms", 231, ["app", "keycloak"]);
  cms = await startCmsInNetns(host, "cms-netns", {
    KEYCLOAK_JWKS_MAX_AGE_SECONDS: String(JWKS_MAX_AGE_SECONDS),
    KEYCLOAK_JWKS_COOLDOWN_SECONDS: "1",
  });
}, 300_000);

afterAll(async () => {
  try {
    await cms?.stop();
  } finally {
    host?.remove();
  }
});

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

async function call(method: "GET" | "POST", token: string, title = "written on the netns instance"): Promise<Answer> {
  const response = await fetch(`${cms!.url}/api/notes`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: method === "POST" ? JSON.stringify({ data: { title, body: "cms-keycloak-link-cut drill" } }) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code, retryAfter: response.headers.get("retry-after") };
}

it.skipIf(unavailable !== undefined)(
  `the cms instance's link to Keycloak cut for ${CUT_SECONDS} s: cached keys keep verifying, revocation falls back to reads-open, both recover`,
  async () => {
    const user = await realm.newUser("link-cut");
    // A token that outlives the cut (the suite's access tokens live 20 s): an expiry must not pass for a refusal.
    const token = await realm.admin.withWebAccessTokenLifespan(600, async () => (await tokensFor(stack, user.email, user.password)).access_token);
    expect(await call("GET", token)).toMatchObject({ status: 200 });
    expect(await call("POST", token, "before the cut")).toMatchObject({ status: 201 });

    const logBefore = readFileSync(cms!.logFile, "utf8").length;
    host!.setLink("keycloak", false);
    const cutAt = Date.now();
    const during: Answer[] = [];
    let writeDuringCut: Answer | undefined;
    try {
      // Reads through the whole cut, past the key cache age (a refresh of the keys is attempted and fails).
      while (Date.now() - cutAt < CUT_SECONDS * 1000) {
        during.push(await call("GET", token));
        if (!writeDuringCut && Date.now() - cutAt > (JWKS_MAX_AGE_SECONDS + 2) * 1000) writeDuringCut = await call("POST", token, "during the cut");
        await sleep(1_000);
      }
    } finally {
      host!.setLink("keycloak", true);
    }
    recordDrill(stack.stateDir, "cms-keycloak-link-cut", {
      cutSeconds: CUT_SECONDS,
      reads: during.length,
      readsRefused: during.filter((answer) => answer.status !== 200).length,
      writeDuringCutStatus: writeDuringCut?.status ?? -1,
    });
    console.info(`[drill] cms link to Keycloak cut: ${during.length} reads, statuses ${JSON.stringify(during.map((answer) => answer.status))}; write: ${JSON.stringify(writeDuringCut)}`);
    // The keys aged past their cache time and their refresh failed (the instance says so and keeps them) ...
    expect(readFileSync(cms!.logFile, "utf8").slice(logBefore)).toMatch(/JWKS fetch from \S+ failed .*keeping the keys we have/);
    // ... and every read still verified with them, passing on the reads-open fallback.
    expect(during.filter((answer) => answer.status !== 200)).toEqual([]);
    // One read a second at most; each may wait for an introspection attempt to time out (KEYCLOAK_HTTP_TIMEOUT_MS, 3 s).
    expect(during.length).toBeGreaterThanOrEqual(5);
    // A write cannot be checked against Keycloak: refused as an outage (503, retry later), not as a dead session.
    expect(writeDuringCut).toMatchObject({ status: 503 });
    expect(writeDuringCut?.retryAfter).toBeTruthy();
    // Verification stays real during the cut: a broken signature is refused.
    const [header, payload, signature] = token.split(".");
    const broken = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    host!.setLink("keycloak", false);
    try {
      expect(await call("GET", broken)).toMatchObject({ status: 401, code: "invalid_signature" });
    } finally {
      host!.setLink("keycloak", true);
    }

    // Recovered: writes pass again, and revocation is enforced again (introspection within its window).
    const until = async (check: () => Promise<boolean>, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`not within 60 s after the link came back: ${what}`);
        await sleep(500);
      }
    };
    await until(async () => (await call("POST", token, "after the cut")).status === 201, "a write");
    await realm.admin.logoutUser(user);
    await until(async () => (await call("GET", token)).status === 401, "the signed-out session refused");
    expect(await call("GET", token)).toMatchObject({ status: 401, code: "session_revoked" });
  },
  300_000,
);
