// Measurement 1: Strapi throughput and latency on the same route, in one
// process and one run, authenticated four ways (apps/cms/src/bench/bench-routes.ts):
// auth off, our Keycloak strategy with the revocation check on and off, and
// Strapi's own users-permissions JWT. Two handlers: `ping` (constant body, so
// the figure is the cost of authentication alone) and `articles` (the real
// article list: a query and a count). The modes take turns within every
// round, in a rotated order, so drift on a shared machine spreads evenly; a
// ratio is taken per round (its two runs seconds apart), and there are two
// short rounds per repetition, since short interleaved runs resist the noise of
// a shared machine better than long ones.
import { runLoad, type LoadResult } from "@stack/testkit/http-load";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import { demoUsers } from "@stack/runner/keycloak/demo-users";
import type { BenchContext } from "./bench-context.ts";
import { pairedRatios } from "./paired-ratios.ts";
import { summarize, type Summary } from "./summarize.ts";

const BENCH_MODES = ["off", "keycloak", "keycloak-no-revocation", "users-permissions"] as const;
type BenchMode = (typeof BENCH_MODES)[number];
const BENCH_HANDLERS = ["ping", "articles"] as const;
type BenchHandler = (typeof BENCH_HANDLERS)[number];

interface ModeFigures {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** Over all repetitions; any failure makes the figure suspect. */
  failures: number;
}

export interface StrapiThroughputResult {
  /** Every figure is summarised over this many rounds. */
  rounds: number;
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
  revocationWindowSeconds: number;
  handlers: Record<BenchHandler, { modes: Record<BenchMode, ModeFigures>; ratios: Record<RatioName, Summary> }>;
}

type RatioName = "keycloakVsOff" | "keycloakNoRevocationVsOff" | "keycloakVsUsersPermissions" | "keycloakVsKeycloakNoRevocation";

const RATIOS: Record<RatioName, [BenchMode, BenchMode]> = {
  keycloakVsOff: ["keycloak", "off"],
  keycloakNoRevocationVsOff: ["keycloak-no-revocation", "off"],
  keycloakVsUsersPermissions: ["keycloak", "users-permissions"],
  keycloakVsKeycloakNoRevocation: ["keycloak", "keycloak-no-revocation"],
};

const CONCURRENCY = 16;
const DURATION_MS = 3_000;
const ROUNDS_PER_REPETITION = 2;
const WARMUP_MS = 1_000;
const SEEDED_ARTICLES = 5;

export async function measureStrapiThroughput(context: BenchContext): Promise<StrapiThroughputResult> {
  const { env, admin, say } = context;
  const user = await admin.createUser("bench-strapi");
  try {
    // Tokens must outlive the whole measurement; the bench realm issues 20 s ones.
    const editor = demoUsers.find((demo) => demo.extraRoles.includes("editor"))!;
    const { accessToken, editorToken } = await admin.withWebAccessTokenLifespan(3600, async () => ({
      accessToken: (await tokensFor(env, user.email, user.password)).access_token,
      editorToken: (await tokensFor(env, editor.email, editor.password)).access_token,
    }));
    await seedArticles(env.cmsUrl, editorToken);
    const strapiJwt = await issueStrapiJwt(env.cmsUrl, accessToken);
    const authorization: Record<BenchMode, string | undefined> = {
      off: undefined,
      keycloak: `Bearer ${accessToken}`,
      "keycloak-no-revocation": `Bearer ${accessToken}`,
      "users-permissions": `Bearer ${strapiJwt}`,
    };
    const url = (mode: BenchMode, handler: BenchHandler) => `${env.cmsUrl}/api/bench/${mode}/${handler}`;
    for (const handler of BENCH_HANDLERS) {
      for (const mode of BENCH_MODES) await expectServed(url(mode, handler), authorization[mode]);
    }

    const runs: Record<BenchHandler, Record<BenchMode, LoadResult[]>> = {
      ping: { off: [], keycloak: [], "keycloak-no-revocation": [], "users-permissions": [] },
      articles: { off: [], keycloak: [], "keycloak-no-revocation": [], "users-permissions": [] },
    };
    const rounds = context.repeat * ROUNDS_PER_REPETITION;
    for (let round = 0; round < rounds; round++) {
      for (const handler of BENCH_HANDLERS) {
        const order = BENCH_MODES.map((_, i) => BENCH_MODES[(i + round) % BENCH_MODES.length]!);
        for (const mode of order) {
          const headers: Record<string, string> = { accept: "application/json" };
          if (authorization[mode]) headers.authorization = authorization[mode];
          const result = await runLoad({ url: url(mode, handler), headers, concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
          runs[handler][mode].push(result);
          say(`  strapi ${handler} ${mode} (round ${round + 1}/${rounds}): ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ${result.failures} failed`);
        }
      }
    }

    const handlers = {} as StrapiThroughputResult["handlers"];
    for (const handler of BENCH_HANDLERS) {
      const byMode = runs[handler];
      const modes = Object.fromEntries(
        BENCH_MODES.map((mode) => [
          mode,
          {
            requestsPerSecond: summarize(byMode[mode].map((r) => r.requestsPerSecond)),
            p50Ms: summarize(byMode[mode].map((r) => r.latencyMs.p50)),
            p99Ms: summarize(byMode[mode].map((r) => r.latencyMs.p99)),
            failures: byMode[mode].reduce((sum, r) => sum + r.failures, 0),
          },
        ]),
      ) as Record<BenchMode, ModeFigures>;
      // A ratio per round (both modes measured minutes apart at most), then summarised.
      const ratios = Object.fromEntries(
        (Object.entries(RATIOS) as [RatioName, [BenchMode, BenchMode]][]).map(([name, [a, b]]) => [
          name,
          pairedRatios(
            byMode[a].map((run) => run.requestsPerSecond),
            byMode[b].map((run) => run.requestsPerSecond),
          ),
        ]),
      ) as Record<RatioName, Summary>;
      handlers[handler] = { modes, ratios };
      say(`  strapi ${handler}: ours/auth-off ${ratios.keycloakVsOff.median.toFixed(2)}x (target >= 0.90x), ours/users-permissions ${ratios.keycloakVsUsersPermissions.median.toFixed(2)}x (target >= 2x), medians`);
    }
    return {
      rounds,
      concurrency: CONCURRENCY,
      durationSeconds: DURATION_MS / 1000,
      warmupSeconds: WARMUP_MS / 1000,
      // Strapi's default (KEYCLOAK_REVOCATION_WINDOW_SECONDS); the bench stack does not change it.
      revocationWindowSeconds: 5,
      handlers,
    };
  } finally {
    await admin.deleteUser(user);
  }
}

async function seedArticles(cmsUrl: string, editorToken: string): Promise<void> {
  const listed = await fetch(`${cmsUrl}/api/articles?pagination[pageSize]=1`, { headers: { accept: "application/json" } });
  const total = ((await listed.json()) as { meta?: { pagination?: { total?: number } } }).meta?.pagination?.total ?? 0;
  for (let i = total; i < SEEDED_ARTICLES; i++) {
    const response = await fetch(`${cmsUrl}/api/articles?status=published`, {
      method: "POST",
      headers: { authorization: `Bearer ${editorToken}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ data: { title: `Bench article ${i + 1}`, body: "A published article the bench lists. ".repeat(20) } }),
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`seeding an article: HTTP ${response.status}`);
  }
}

async function issueStrapiJwt(cmsUrl: string, accessToken: string): Promise<string> {
  const response = await fetch(`${cmsUrl}/api/bench/users-permissions-token`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
  });
  if (response.status === 404) throw new Error("Strapi has no bench routes: the bench stack must start Strapi with CMS_BENCH_ROUTES=true.");
  if (!response.ok) throw new Error(`POST /api/bench/users-permissions-token: HTTP ${response.status}`);
  return ((await response.json()) as { jwt: string }).jwt;
}

async function expectServed(url: string, authorization: string | undefined): Promise<void> {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`${new URL(url).pathname} answered HTTP ${response.status}; expected 200 before measuring`);
}
