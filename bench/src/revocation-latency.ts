// Measurement 4: how long a revoked session keeps working. A user holds a web
// session and, through a second Keycloak session, an access token that calls
// Strapi directly; both are polled while an admin acts at a random moment of
// Strapi's revocation window. Latency = from just before the admin call to the
// first rejection (Strapi: 401; web app: anything but the signed-in page).
// Actions: the admin console's "Sign out" for the user; a disable followed by
// a sign-out (realm-admin.ts disableUser, then logoutUser); and a disable alone (the console's
// "Enabled" switch), whose sessions end only if something in Keycloak ends
// them: plain Keycloak keeps them, and the web app would notice at its next
// refresh, so this row shows whether the realm does.
import { setTimeout as sleep } from "node:timers/promises";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";
import type { BenchContext } from "./bench-context.ts";
import { summarize, type Summary } from "./summarize.ts";

const REVOCATION_ACTIONS = ["adminSignOut", "disableThenSignOut", "disableOnly"] as const;
type RevocationAction = (typeof REVOCATION_ACTIONS)[number];

interface RevocationFigures {
  trials: number;
  /** Trials in which a side never rejected within the timeout (excluded from its summary). */
  strapiNeverRejected: number;
  webNeverRejected: number;
  strapiMs: Summary | null;
  webMs: Summary | null;
  /** Trials in which the web app's first request sent after the admin call returned was already refused. */
  webRefusedNextRequest: number;
  /** How long the admin call itself took (Keycloak sends back-channel logouts during it). */
  adminCallMs: Summary;
  /** Strapi's error codes on rejection. */
  strapiCodes: string[];
}

export interface RevocationLatencyResult {
  revocationWindowSeconds: number;
  webAccessTokenLifetimeSeconds: number;
  pollIntervalMs: { strapi: number; web: number };
  actions: Record<RevocationAction, RevocationFigures>;
}

const WINDOW_SECONDS = 5; // Strapi's default KEYCLOAK_REVOCATION_WINDOW_SECONDS, not changed by the bench stack
const STRAPI_POLL_MS = 50;
const WEB_POLL_MS = 100;
const TIMEOUT_MS: Record<RevocationAction, number> = { adminSignOut: 30_000, disableThenSignOut: 30_000, disableOnly: 45_000 };

interface Probe {
  sentAt: number;
  answeredAt: number;
  ok: boolean;
  code: string;
}

interface Poller {
  /** The first refusal answered at or after `since`. */
  firstRejection(since: number): Probe | undefined;
  /** The first probe sent at or after `since`. */
  firstSentAfter(since: number): Probe | undefined;
  stop(): Promise<void>;
}

function poll(intervalMs: number, probe: () => Promise<{ ok: boolean; code: string }>): Poller {
  const probes: Probe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const sentAt = Date.now();
      const answer = await probe().catch((error: Error) => ({ ok: false, code: `error ${error.name}` }));
      probes.push({ sentAt, answeredAt: Date.now(), ...answer });
      await sleep(Math.max(0, intervalMs - (Date.now() - sentAt)));
    }
  })();
  return {
    firstRejection: (since) => probes.find((p) => !p.ok && p.answeredAt >= since),
    firstSentAfter: (since) => probes.find((p) => p.sentAt >= since),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export async function measureRevocationLatency(context: BenchContext): Promise<RevocationLatencyResult> {
  const actions = {} as Record<RevocationAction, RevocationFigures>;
  for (const action of REVOCATION_ACTIONS) {
    const strapi: number[] = [];
    const web: number[] = [];
    const codes = new Set<string>();
    const adminCall: number[] = [];
    let refusedNext = 0;
    let strapiMissed = 0;
    let webMissed = 0;
    for (let trial = 0; trial < context.repeat; trial++) {
      const outcome = await revocationTrial(context, action);
      if (outcome.strapiMs === undefined) strapiMissed++;
      else strapi.push(outcome.strapiMs);
      if (outcome.webMs === undefined) webMissed++;
      else web.push(outcome.webMs);
      if (outcome.strapiCode) codes.add(outcome.strapiCode);
      if (outcome.webNextRequestRefused) refusedNext++;
      adminCall.push(outcome.actionMs ?? 0);
      context.say(`    ${action}: Strapi ${outcome.strapiMs ?? "never"} ms (${outcome.strapiCode ?? "-"}), web ${outcome.webMs ?? "never"} ms`);
    }
    actions[action] = {
      trials: context.repeat,
      strapiNeverRejected: strapiMissed,
      webNeverRejected: webMissed,
      strapiMs: strapi.length ? summarize(strapi) : null,
      webMs: web.length ? summarize(web) : null,
      webRefusedNextRequest: refusedNext,
      adminCallMs: summarize(adminCall),
      strapiCodes: [...codes],
    };
  }
  return {
    revocationWindowSeconds: WINDOW_SECONDS,
    webAccessTokenLifetimeSeconds: context.config.testTweaks?.webAccessTokenLifespanSeconds ?? 300,
    pollIntervalMs: { strapi: STRAPI_POLL_MS, web: WEB_POLL_MS },
    actions,
  };
}

async function revocationTrial(
  context: BenchContext,
  action: RevocationAction,
): Promise<{ strapiMs?: number; webMs?: number; strapiCode?: string; webNextRequestRefused?: boolean; actionMs?: number }> {
  const { env, admin } = context;
  const user = await admin.createUser(`bench-revoke-${action.toLowerCase()}`);
  let strapiPoller: Poller | undefined;
  let webPoller: Poller | undefined;
  try {
    const session: WebSession = await signInToWeb(env, user.email, user.password);
    // The direct token must not expire during the trial: only revocation may end it.
    const accessToken = await admin.withWebAccessTokenLifespan(3600, async () => (await tokensFor(env, user.email, user.password)).access_token);
    const strapiProbe = async () => {
      const response = await fetch(`${env.cmsUrl}/api/notes`, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } });
      const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
      return { ok: response.status === 200, code: body?.error?.code ?? `HTTP ${response.status}` };
    };
    const webProbe = async () => {
      const response = await session.fetch("/account");
      const body = await response.text();
      return { ok: response.status === 200 && body.includes(user.email), code: `HTTP ${response.status}` };
    };
    for (const probe of [strapiProbe, webProbe]) {
      const first = await probe();
      if (!first.ok) throw new Error(`before revocation the ${probe === strapiProbe ? "API" : "web app"} already refused (${first.code})`);
    }
    strapiPoller = poll(STRAPI_POLL_MS, strapiProbe);
    webPoller = poll(WEB_POLL_MS, webProbe);
    // A random moment within Strapi's window, so the figures cover its whole range.
    await sleep(Math.random() * WINDOW_SECONDS * 1000);

    const t0 = Date.now();
    await act(context, user, action);
    const actionDone = Date.now();
    const deadline = t0 + TIMEOUT_MS[action];
    while (Date.now() < deadline && (!strapiPoller.firstRejection(t0) || !webPoller.firstRejection(t0))) await sleep(50);
    const strapiRejection = strapiPoller.firstRejection(t0);
    const webRejection = webPoller.firstRejection(t0);
    return {
      strapiMs: strapiRejection && strapiRejection.answeredAt - t0,
      webMs: webRejection && webRejection.answeredAt - t0,
      strapiCode: strapiRejection?.code,
      webNextRequestRefused: webPoller.firstSentAfter(actionDone)?.ok === false,
      actionMs: actionDone - t0,
    };
  } finally {
    await strapiPoller?.stop();
    await webPoller?.stop();
    await admin.deleteUser(user);
  }
}

async function act(context: BenchContext, user: DisposableUser, action: RevocationAction): Promise<void> {
  const { admin, env } = context;
  switch (action) {
    case "adminSignOut":
      return admin.logoutUser(user);
    case "disableThenSignOut":
      // disableUser is the console's switch alone; the sign-out is explicit.
      await admin.disableUser(user);
      return admin.logoutUser(user);
    case "disableOnly": {
      const current = await admin.client.users.findOne({ realm: env.realm, id: user.id });
      await admin.client.users.update({ realm: env.realm, id: user.id }, { ...current, enabled: false });
      return;
    }
  }
}
