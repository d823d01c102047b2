// Measurement 3: 100 concurrent requests on one session whose access token has
// just expired, on one web instance (the bench stack's, file store) and on two
// instances sharing Redis. Counted: refreshes at Keycloak (its REFRESH_TOKEN
// events for that user), failed requests (not a 200 page for that user), and
// sign-outs (the session gone afterwards). Target 1 / 0 / 0.
import { setTimeout as sleep } from "node:timers/promises";
import { RedisError } from "@stack/runner/parts/redis-keys";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";
import type { BenchContext } from "./bench-context.ts";
import { startSharedWebInstances } from "./shared-web-instances.ts";
import { summarize, type Summary } from "./summarize.ts";

interface StormFigures {
  trials: number;
  refreshesAtKeycloak: Summary;
  refreshErrorsAtKeycloak: Summary;
  failedRequests: Summary;
  signOuts: Summary;
  /** Wall time of the 100 requests, ms. */
  wallMs: Summary;
}

export interface RefreshStormResult {
  concurrentRequests: number;
  accessTokenLifetimeSeconds: number;
  oneInstance: StormFigures;
  twoInstances: StormFigures | { skipped: string };
}

const CONCURRENT = 100;
const SHARED_PORTS_OFFSET = [1, 2];
const STORM_PATH = "/account";

interface Trial {
  user: DisposableUser;
  session: WebSession;
  signedInAt: number;
}

export async function measureRefreshStorm(context: BenchContext): Promise<RefreshStormResult> {
  const { config, env, say } = context;
  const lifetime = config.testTweaks?.webAccessTokenLifespanSeconds ?? 300;

  say(`  refresh storm, one instance (${env.webUrl}) ...`);
  const oneInstance = await stormTrials(context, env.webUrl, [env.webUrl], lifetime);

  let twoInstances: RefreshStormResult["twoInstances"];
  const redisUrl = config.input.redisUrl ?? "redis://127.0.0.1:6379";
  try {
    const shared = await startSharedWebInstances({
      config,
      env,
      admin: context.admin,
      ports: SHARED_PORTS_OFFSET.map((offset) => config.ports.web + offset),
      redisUrl,
      redisKeyPrefix: "web:bench:",
    });
    try {
      say(`  refresh storm, two instances sharing Redis (${shared.urls.join(", ")}) ...`);
      twoInstances = await stormTrials(context, shared.urls[0]!, shared.urls, lifetime);
    } finally {
      await shared.stop();
    }
  } catch (error) {
    if (!(error instanceof RedisError)) throw error;
    twoInstances = { skipped: error.message };
    say(`  two-instance storm skipped: ${error.message}`);
  }
  return { concurrentRequests: CONCURRENT, accessTokenLifetimeSeconds: lifetime, oneInstance, twoInstances };
}

async function stormTrials(context: BenchContext, signInUrl: string, instances: string[], lifetimeSeconds: number): Promise<StormFigures> {
  const { admin } = context;
  const trials: Trial[] = [];
  try {
    // Every trial's session is made first, so one wait for expiry serves all.
    for (let i = 0; i < context.repeat; i++) {
      const user = await admin.createUser("bench-storm");
      const session = await signInToWeb({ webUrl: signInUrl }, user.email, user.password);
      trials.push({ user, session, signedInAt: Date.now() });
    }
    await sleep(Math.max(0, trials[trials.length - 1]!.signedInAt + lifetimeSeconds * 1000 + 1500 - Date.now()));

    const refreshes: number[] = [];
    const refreshErrors: number[] = [];
    const failed: number[] = [];
    const signOuts: number[] = [];
    const wall: number[] = [];
    for (const trial of trials) {
      const cookie = trial.session.jar.header(signInUrl);
      const started = performance.now();
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, async (_, i) => {
          const response = await fetch(new URL(STORM_PATH, instances[i % instances.length]), { headers: { cookie }, redirect: "manual" });
          return { status: response.status, body: await response.text() };
        }),
      );
      wall.push(Math.round(performance.now() - started));
      failed.push(responses.filter((r) => r.status !== 200 || !r.body.includes(trial.user.email)).length);
      const after = await fetch(new URL("/api/auth/session", signInUrl), { headers: { cookie: trial.session.jar.header(signInUrl) } });
      const stillSignedIn = ((await after.json().catch(() => null)) as { user?: { email?: string } } | null)?.user?.email === trial.user.email;
      signOuts.push(stillSignedIn ? 0 : 1);
      await sleep(1000); // Keycloak stores events as it handles requests; a second covers stragglers.
      refreshes.push(await admin.countEvents(trial.user, trial.signedInAt, "REFRESH_TOKEN"));
      refreshErrors.push(await admin.countEvents(trial.user, trial.signedInAt, "REFRESH_TOKEN_ERROR"));
      context.say(`    trial: ${refreshes.at(-1)} refresh(es) at Keycloak, ${failed.at(-1)} failed requests, ${signOuts.at(-1)} sign-outs, ${wall.at(-1)} ms`);
    }
    return {
      trials: trials.length,
      refreshesAtKeycloak: summarize(refreshes),
      refreshErrorsAtKeycloak: summarize(refreshErrors),
      failedRequests: summarize(failed),
      signOuts: summarize(signOuts),
      wallMs: summarize(wall),
    };
  } finally {
    for (const trial of trials) await admin.deleteUser(trial.user);
  }
}
