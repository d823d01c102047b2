// Measurement 6: latency through the backend-for-frontend at a fixed
// concurrency, for one signed-in session: the account page, whose render reads
// the user's sign-in methods from Keycloak's account API (/account), and the
// notes page, whose render fetches the user's notes from Strapi with the session's access token (browser → web → Strapi → web).
// The session's tokens live 5 minutes (the production realm's setting) so that
// no refresh falls inside a run; refresh cost is measurement 3's subject.
// Then the session layer's own cost and its token-store reads per page view
// (web-session-layer.ts).
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { runLoad, type LoadResult } from "@stack/testkit/http-load";
import { signInToWeb } from "@stack/testkit/web-session";
import type { BenchContext } from "./bench-context.ts";
import { measureSessionLayer, type SessionLayerResult } from "./web-session-layer.ts";
import { summarize, type Summary } from "./summarize.ts";

const WEB_PAGES = { account: "/account", notes: "/notes" } as const;
type WebPage = keyof typeof WEB_PAGES;

interface PageFigures {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p90Ms: Summary;
  p99Ms: Summary;
  failures: number;
}

export interface WebLatencyResult {
  concurrency: number;
  durationSeconds: number;
  pages: Record<WebPage, PageFigures>;
  /** Absent from results measured before it existed. */
  sessionLayer?: SessionLayerResult;
}

const CONCURRENCY = 8;
const DURATION_MS = 10_000;
const WARMUP_MS = 2_000;
const NOTES = 5;

export async function measureWebLatency(context: BenchContext): Promise<WebLatencyResult> {
  const { env, admin, say } = context;
  const user = await admin.createUser("bench-web");
  try {
    const session = await admin.withWebAccessTokenLifespan(300, async () => {
      const signedIn = await signInToWeb(env, user.email, user.password);
      const { access_token } = await tokensFor(env, user.email, user.password);
      for (let i = 0; i < NOTES; i++) {
        const response = await fetch(`${env.cmsUrl}/api/notes`, {
          method: "POST",
          headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
          body: JSON.stringify({ data: { title: `Bench note ${i + 1}`, body: "Something worth remembering." } }),
        });
        if (response.status !== 201) throw new Error(`creating a note: HTTP ${response.status}`);
      }
      return signedIn;
    });
    const cookie = session.jar.header(env.webUrl);
    const runs: Record<WebPage, LoadResult[]> = { account: [], notes: [] };
    for (let round = 0; round < context.repeat; round++) {
      for (const page of Object.keys(WEB_PAGES) as WebPage[]) {
        const result = await runLoad({
          url: `${env.webUrl}${WEB_PAGES[page]}`,
          headers: { cookie, accept: "text/html" },
          concurrency: CONCURRENCY,
          durationMs: DURATION_MS,
          warmupMs: WARMUP_MS,
          // Served means the signed-in page, not a redirect to sign-in.
          accept: (status, body) => status === 200 && body.includes(page === "notes" ? "Bench note 1" : user.email),
        });
        runs[page].push(result);
        say(`  web ${WEB_PAGES[page]} (round ${round + 1}/${context.repeat}): ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p90 ${result.latencyMs.p90} ms, p99 ${result.latencyMs.p99} ms, ${result.failures} failed`);
      }
    }
    const pages = Object.fromEntries(
      (Object.keys(WEB_PAGES) as WebPage[]).map((page) => [
        page,
        {
          requestsPerSecond: summarize(runs[page].map((r) => r.requestsPerSecond)),
          p50Ms: summarize(runs[page].map((r) => r.latencyMs.p50)),
          p90Ms: summarize(runs[page].map((r) => r.latencyMs.p90)),
          p99Ms: summarize(runs[page].map((r) => r.latencyMs.p99)),
          failures: runs[page].reduce((sum, r) => sum + r.failures, 0),
        },
      ]),
    ) as Record<WebPage, PageFigures>;
    const sessionLayer = await measureSessionLayer(
      env,
      { cookie, marker: user.email, otherPages: { [WEB_PAGES.account]: user.email, [WEB_PAGES.notes]: "Bench note 1" } },
      context.repeat,
      say,
      context.webPid,
    );
    return { concurrency: CONCURRENCY, durationSeconds: DURATION_MS / 1000, pages, sessionLayer };
  } finally {
    await admin.deleteUser(user);
  }
}
