// The production topology's own processes besides Keycloak, Strapi and the web
// app: the suite's Redis and PostgreSQL (when `npm run test:prod` owns them,
// decision 0101) and HAProxy in front of every node.
import type { StackConfig } from "../stack-config.ts";
import { findHaproxy, haproxyHealthUrl, startHaproxy } from "./haproxy.ts";
import type { PartDefinition } from "./part-definition.ts";
import { findPostgresBin, postgresAccount, postgresAnswers, startPostgresServer } from "./postgres-server.ts";
import { findRedisServer, redisAnswers, startRedisServer } from "./redis-server.ts";

/** Readiness timeouts, ms. */
const TIMEOUT_MS = { redis: 30_000, postgres: 60_000, haproxy: 30_000 };

/** The parts this configuration runs (none outside the production topology), in no particular order. */
export function productionParts(config: StackConfig): PartDefinition[] {
  const p = config.production;
  if (!p) return [];
  const parts: PartDefinition[] = [];
  const redisServer = p.ownedRedisPort ? findRedisServer(config.input.inherited) : undefined;
  if (redisServer) {
    const port = p.ownedRedisPort!;
    parts.push({ name: "redis", spawn: () => startRedisServer(config, redisServer, port), healthUrl: `redis://127.0.0.1:${port}`, ready: () => redisAnswers(port), timeoutMs: TIMEOUT_MS.redis });
  }
  const postgresBin = p.ownedPostgresPort ? findPostgresBin(config.input.inherited) : undefined;
  const account = postgresAccount();
  if (postgresBin && account) {
    parts.push({ name: "postgres", spawn: () => startPostgresServer(config, postgresBin, account, p.ownedPostgresPort!), healthUrl: p.postgresAdminUrl, ready: () => postgresAnswers(p.postgresAdminUrl), timeoutMs: TIMEOUT_MS.postgres });
  }
  const haproxy = findHaproxy(config.input.inherited);
  if (haproxy) {
    parts.push({ name: "haproxy", spawn: () => startHaproxy(config, haproxy), healthUrl: haproxyHealthUrl(config), timeoutMs: TIMEOUT_MS.haproxy });
  }
  return parts;
}
