// Wires revocation for one Strapi process from the validated config: the check
// the strategy calls per request (at register), and, in `ssf` mode, the
// revocation table, the push route and the stream keeper (at bootstrap, when
// the database is up). docs/decisions/0050-revocation-by-shared-signals.md.
import type { Core } from "@strapi/strapi";
import type { CmsConfig } from "../../cms-config";
import type { KeyResolver } from "@stack/keycloak-tokens";
import { RevocationCheck, type RevocationCheckOptions } from "./revocation-check";
import { pgListenClient, REVOCATION_CHANNEL, RevocationListener } from "./revocation-listener";
import { RevocationStore } from "./revocation-store";
import { RevocationTable } from "./revocation-table";
import { createSsfPushHandler, SSF_PUSH_PATH } from "./ssf-push-handler";
import { SsfStreamKeeper } from "./ssf-stream-keeper";
import { createAccountErasure } from "../../account/account-erasure";
import { erasePerson } from "../../account/erase-person";
import { KeycloakUserDirectory } from "../../account/keycloak-user-directory";
import { StreamRegistration } from "./ssf-stream-registration";

const SSF_HEALTH_PATH = "/ssf/health";

// A failing poll can repeat every second; say so at most this often.
const POLL_ERROR_LOG_INTERVAL_MS = 30_000;

export interface Revocation {
  check: RevocationCheck;
  /** Loads the table, mounts the push route and starts the stream; call in bootstrap. */
  start(): Promise<void>;
  stop(): void;
  /** For logs and the health output (GET /api/ssf/health). */
  describe(): Record<string, unknown>;
}

export function createRevocation(
  strapi: Core.Strapi,
  config: CmsConfig,
  keys: KeyResolver,
  introspection: RevocationCheckOptions["introspection"],
): Revocation {
  const kc = config.keycloak;
  const ssf = kc.ssf;
  const mode = kc.revocationWindowSeconds === 0 ? "off" : kc.revocation;
  let store: RevocationStore | undefined;
  let keeper: SsfStreamKeeper | undefined;
  let listener: RevocationListener | undefined;
  const check = new RevocationCheck({
    mode,
    introspection,
    store: { get loaded() { return store?.loaded ?? false; }, revocationOf: (sub, sid, iat) => store?.revocationOf(sub, sid, iat) },
    stream: { get healthy() { return keeper?.healthy ?? false; }, get resumedAt() { return keeper?.resumedAt ?? 0; } },
    introspectionBackstop: ssf.introspectionBackstop,
  });

  const healthOf = () => {
    const stream = keeper?.describe();
    return {
      mode,
      pushed: check.pushed,
      introspectionBackstop: mode === "ssf" && ssf.introspectionBackstop,
      streamRegistered: stream?.registered ?? false,
      streamHealthy: stream?.healthy ?? false,
      // enabled, paused, disabled or gone in Keycloak; unknown before the first read or when it failed.
      streamState: stream?.state ?? "unknown",
      lastVerificationAt: isoOrNull(stream?.lastVerificationAt),
      // Tokens issued before this moment are introspected as well (revocations of the outage may be lost).
      resumedAt: stream?.resumedAt ? isoOrNull(stream.resumedAt) : null,
      lastRevocationAt: isoOrNull(store?.lastRevocationAt),
      // PostgreSQL: whether this instance hears the others' inserts at once (LISTEN); SQLite polls.
      tableUpdates: listener === undefined ? "poll" : listener.listening ? "listen" : "poll (LISTEN connection down)",
    };
  };

  return {
    check,
    async start() {
      if (mode !== "ssf") {
        strapi.log.info(`Revocation check: ${mode}.`);
        return;
      }
      let lastPollErrorLog = 0;
      const postgres = config.database.client === "postgres" ? config.database : undefined;
      store = new RevocationStore({
        table: new RevocationTable(strapi.db.connection, { notifyChannel: postgres ? REVOCATION_CHANNEL : undefined }),
        pollIntervalMs: ssf.pollIntervalMs,
        onPollError: (error) => {
          const now = Date.now();
          if (now - lastPollErrorLog < POLL_ERROR_LOG_INTERVAL_MS) return;
          lastPollErrorLog = now;
          strapi.log.warn(`Revocation table poll failed (${error instanceof Error ? error.message : "unknown error"}).`);
        },
      });
      await store.start();
      const current = store;
      if (postgres) {
        let lastListenErrorLog = 0;
        listener = new RevocationListener({
          createClient: pgListenClient(postgres.url),
          onNotification: () => current.wake(),
          onListening: () => {
            strapi.log.info(`Revocation table: listening for other instances' revocations (PostgreSQL LISTEN ${REVOCATION_CHANNEL}).`);
            current.wake();
          },
          onError: (message) => {
            const now = Date.now();
            if (now - lastListenErrorLog < POLL_ERROR_LOG_INTERVAL_MS) return;
            lastListenErrorLog = now;
            strapi.log.warn(`Revocation table: ${message}; polling every ${ssf.pollIntervalMs} ms meanwhile.`);
          },
        });
        await listener.start();
      }

      keeper = new SsfStreamKeeper({
        registration: new StreamRegistration({
          tokenUrl: ssf.tokenUrl,
          streamsUrl: ssf.streamsUrl,
          verifyUrl: ssf.verifyUrl,
          statusUrl: ssf.statusUrl,
          clientId: kc.cmsClientId,
          clientSecret: kc.cmsClientSecret ?? "",
          pushUrl: ssf.pushUrl,
          pushSecret: ssf.pushSecret,
          timeoutMs: kc.httpTimeoutMs,
        }),
        verifiedAt: () => current.verifiedAt,
        verifyIntervalMs: ssf.verifyIntervalSeconds * 1000,
        verifyTimeoutMs: ssf.verifyTimeoutSeconds * 1000,
        statusIntervalMs: ssf.statusIntervalSeconds * 1000,
        onRegistered: (stream) =>
          strapi.log.info(`Shared Signals stream ${stream.streamId} ${stream.reused ? "reused" : "created"} (push to ${ssf.pushUrl}).`),
        onHealthChange: (healthy, reason) =>
          healthy
            ? strapi.log.info(`Revocation check: pushed revocations (Shared Signals stream healthy: ${reason}).`)
            : strapi.log.warn(`Revocation check: falling back to introspection (Shared Signals stream unhealthy: ${reason}).`),
        onError: (message) => strapi.log.warn(`Shared Signals: ${message}.`),
      });
      const stream = keeper;

      const directory = new KeycloakUserDirectory({
        tokenUrl: ssf.tokenUrl,
        usersUrl: kc.adminUsersUrl,
        clientId: kc.cmsClientId,
        clientSecret: kc.cmsClientSecret ?? "",
        timeoutMs: kc.httpTimeoutMs,
      });
      const eraseIfGone = createAccountErasure({
        presence: (sub) => directory.presence(sub),
        erase: (sub) => erasePerson(strapi, sub),
        onErased: (result) =>
          strapi.log.info(
            `Account deleted in Keycloak: erased ${result.user ? "the user" : "no user (already gone)"}, ${result.notes} note(s), author removed from ${result.articles} article row(s).`,
          ),
      });
      const handler = createSsfPushHandler({
        policy: {
          issuer: kc.issuer,
          audience: () => stream.audience,
          maxAgeSeconds: ssf.maxEventAgeSeconds,
          clockLeewaySeconds: kc.clockLeewaySeconds,
        },
        keys,
        store: current,
        pushSecret: ssf.pushSecret,
        maxBodyBytes: ssf.maxBodyBytes,
        retentionMs: ssf.retentionSeconds * 1000,
        onUnknownAudience: () => stream.recheck(),
        onAllSessionsEnded: eraseIfGone,
        onEvent: (outcome) =>
          outcome.accepted
            ? strapi.log.info(`Shared Signals push accepted: ${describeEvent(outcome.event)}.`)
            : strapi.log.warn(`Shared Signals push refused: ${outcome.code}.`),
      });
      strapi.server.routes({
        type: "content-api",
        routes: [
          { method: "POST", path: SSF_PUSH_PATH, handler, config: { auth: false } },
          // The stream's health for the stack's health output and tests: no
          // user data, no stream secret.
          { method: "GET", path: SSF_HEALTH_PATH, handler: (ctx: { body: unknown }) => void (ctx.body = healthOf()), config: { auth: false } },
        ],
      } as unknown as Parameters<Core.Strapi["server"]["routes"]>[0]);
      keeper.start();
      strapi.log.info(`Revocation check: ssf (push endpoint /api${SSF_PUSH_PATH}; introspection until the stream is verified).`);
    },
    stop() {
      keeper?.stop();
      store?.stop();
      void listener?.stop();
    },
    describe: healthOf,
  };
}

function describeEvent(event: import("./interpret-security-event").SecurityEvent): string {
  switch (event.kind) {
    case "session":
      return "session-revoked (one session)";
    case "subject":
      return `every token of a user issued before ${new Date(event.notBefore * 1000).toISOString()} (tokens of that second are checked with Keycloak)`;
    case "verification":
      return "stream verification";
    case "ignored":
      return `ignored event type ${event.eventType}`;
  }
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
