// HAProxy in front of the production topology's Keycloak nodes, web instances
// and Strapi instances (docs/decisions/0100-haproxy-in-front-of-every-part.md).
// The configuration is generated into the stack's state folder on every start,
// from the stack's ports only. What it does:
//   - health checks: Keycloak on each node's management port (/health/ready),
//     web on /api/health, Strapi on /_health; a connection error seen on live
//     traffic marks a server down at once (observe layer4), the checks bring
//     it back;
//   - retries: a connection that failed (nothing was sent) is retried on the
//     other server for every method; an empty response or a timeout is
//     retried only for idempotent methods (GET, HEAD, OPTIONS);
//   - X-Forwarded-For/-Proto/-Host/-Port, which Keycloak trusts from
//     127.0.0.1 only (--proxy-headers=xforwarded);
//   - Keycloak: sticky on the AUTH_SESSION_ID cookie (a login flow stays on
//     the node that holds its authentication session while that node is up);
//   - Strapi: only its content API and health check are forwarded
//     (cmsPublishedPath's rule, as ACLs); everything else answers 404 here;
//   - a control port (ports.keycloakManagement): /health/ready answers 200
//     while one Keycloak node is up, /haproxy/stats is HAProxy's statistics
//     page (`;csv` for machines).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";

export const HAPROXY_STATS_PATH = "/haproxy/stats";

/** Where HAProxy is: HAPROXY_BIN, then PATH, then Debian's /usr/sbin (not on a normal user's PATH). */
export function findHaproxy(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.HAPROXY_BIN) return existsSync(env.HAPROXY_BIN) ? env.HAPROXY_BIN : undefined;
  const dirs = [...(env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((dir) => join(dir, "haproxy")).find((file) => existsSync(file));
}

export const MISSING_HAPROXY_MESSAGE =
  "HAProxy not found (looked at HAPROXY_BIN, PATH, /usr/sbin, /usr/local/sbin): the production topology runs it in front of Keycloak, web and Strapi. " +
  "Install it (`apt-get install haproxy` on Debian or Ubuntu, `brew install haproxy` on macOS) or set HAPROXY_BIN to its path.";

interface BalancerServer {
  name: string;
  /** Default 127.0.0.1 (the native topology); a service name in docker-compose.yml. */
  host?: string;
  port: number;
  /** Port the health check goes to, when not the traffic port (Keycloak's management interface). */
  checkPort?: number;
}

export interface BalancerPlan {
  bindHost: string;
  keycloak: { port: number; servers: BalancerServer[] };
  /** Absent in docker-compose.yml, which balances Keycloak only (one web and one cms container). */
  web?: { port: number; servers: BalancerServer[] };
  cms?: { port: number; servers: BalancerServer[] };
  /** /health/ready of the Keycloak cluster and /haproxy/stats. */
  controlPort: number;
  /**
   * Keep X-Forwarded-Proto/-Host/-Port a TLS proxy in front already set (docker-compose.yml,
   * where only that proxy and the apps reach the balancer). Natively the balancer is the edge:
   * it always sets them.
   */
  behindTlsProxy?: boolean;
}

function balancerPlan(config: StackConfig): BalancerPlan {
  const p = config.production;
  if (!p) throw new TypeError("the load balancer belongs to the production topology");
  return {
    bindHost: config.bindHost,
    keycloak: { port: config.ports.keycloak, servers: p.keycloakNodes.map((n) => ({ name: n.name, port: n.port, checkPort: n.managementPort })) },
    web: { port: config.ports.web, servers: p.webInstancePorts.map((port, i) => ({ name: `web-${i + 1}`, port })) },
    cms: { port: config.ports.cms, servers: p.cmsInstancePorts.map((port, i) => ({ name: `cms-${i + 1}`, port })) },
    controlPort: config.ports.keycloakManagement,
  };
}

// Checks every 2 s (every 500 ms while a server is changing state), down after
// 2 failures, up after 2 successes; a refused connection on live traffic marks
// the server down at once.
const SERVER_OPTIONS = "check inter 2s fastinter 500ms downinter 2s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down";

function servers(list: BalancerServer[]): string[] {
  return list.map((s) => `  server ${s.name} ${s.host ?? "127.0.0.1"}:${s.port} ${SERVER_OPTIONS}${s.checkPort ? ` port ${s.checkPort}` : ""}`);
}

/** HAProxy's path regex for what cmsPublishedPath forwards: no dot segments, encoded dots, slashes or backslashes; /_health, /api, /api/... */
const CMS_AMBIGUOUS_PATH = String.raw`(^|/)\.{1,2}(/|$)|%2[eEfF]|%5[cC]|\\`;

function forwarded(plan: BalancerPlan): string[] {
  const unlessSet = (header: string) => (plan.behindTlsProxy ? ` unless { req.hdr(${header}) -m found }` : "");
  return [
    `  http-request set-header X-Forwarded-Proto http${unlessSet("x-forwarded-proto")}`,
    `  http-request set-header X-Forwarded-Host %[req.hdr(host)]${unlessSet("x-forwarded-host")}`,
    `  http-request set-header X-Forwarded-Port %[dst_port]${unlessSet("x-forwarded-port")}`,
  ];
}
const IDEMPOTENT_RETRIES_ONLY = "  http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS";

export function haproxyConfig(plan: BalancerPlan, header = "# Generated by stack/src/parts/haproxy.ts on every start; edits are overwritten."): string {
  const bind = (port: number) => `  bind ${plan.bindHost.includes(":") ? `[${plan.bindHost}]` : plan.bindHost}:${port}`;
  const web = plan.web
    ? [
        "frontend web",
        bind(plan.web.port),
        ...forwarded(plan),
        "  default_backend web",
        "",
        "backend web",
        "  balance roundrobin",
        IDEMPOTENT_RETRIES_ONLY,
        "  option httpchk GET /api/health",
        "  http-check expect status 200",
        ...servers(plan.web.servers),
        "",
      ]
    : [];
  const cms = plan.cms
    ? [
        "frontend cms",
        bind(plan.cms.port),
        `  acl ambiguous path -m reg '${CMS_AMBIGUOUS_PATH}'`,
        "  acl published path /_health /api",
        "  acl published path_beg /api/",
        '  http-request return status 404 content-type text/plain string "Not Found" hdr connection close if ambiguous || !published',
        ...forwarded(plan),
        "  default_backend cms",
        "",
        "backend cms",
        "  balance roundrobin",
        IDEMPOTENT_RETRIES_ONLY,
        "  option httpchk GET /_health",
        "  http-check expect rstatus ^20[04]$",
        ...servers(plan.cms.servers),
        "",
      ]
    : [];
  return [
    header,
    "global",
    "  maxconn 4096",
    "",
    "defaults",
    "  mode http",
    "  log stdout format raw local0 warning",
    "  option httplog",
    "  option dontlognull",
    "  timeout connect 5s",
    "  timeout client 120s",
    "  timeout server 120s",
    "  timeout check 5s",
    "  timeout http-keep-alive 5s",
    "  option http-keep-alive",
    // X-Forwarded-For appended (frontends set the rest, never passed through from the client).
    "  option forwardfor",
    // A failed connection sent nothing: retried on another server for any method.
    // Anything after the request left (empty response, timeout) only for idempotent methods (backends).
    "  retries 3",
    "  option redispatch 1",
    "  retry-on conn-failure empty-response response-timeout",
    "",
    "frontend keycloak",
    bind(plan.keycloak.port),
    ...forwarded(plan),
    // Fail open: when no node is ready, the nodes that are alive serve (see keycloak-live).
    "  use_backend keycloak-live if { nbsrv(keycloak) eq 0 }",
    "  default_backend keycloak",
    "",
    "backend keycloak",
    "  balance roundrobin",
    IDEMPOTENT_RETRIES_ONLY,
    // Sticky on Keycloak's authentication-session cookie: a login flow stays on one node.
    "  stick-table type string len 256 size 100k expire 30m",
    "  stick on req.cook(AUTH_SESSION_ID)",
    "  stick store-response res.cook(AUTH_SESSION_ID)",
    "  option httpchk GET /health/ready",
    "  http-check expect status 200",
    ...servers(plan.keycloak.servers),
    "",
    // Keycloak 26's readiness includes its cluster health check, which stays DOWN on the
    // survivor of a killed node until the dead member's jdbc-ping entry is gone (tens of
    // seconds, measured by the node-loss drill); readiness alone would take every node out.
    "backend keycloak-live",
    "  balance roundrobin",
    IDEMPOTENT_RETRIES_ONLY,
    "  option httpchk GET /health/live",
    "  http-check expect status 200",
    ...servers(plan.keycloak.servers),
    "",
    ...web,
    ...cms,
    "frontend control",
    bind(plan.controlPort),
    "  http-request return status 200 content-type text/plain string \"UP\" if { path /health/ready } { nbsrv(keycloak) gt 0 } || { path /health/ready } { nbsrv(keycloak-live) gt 0 }",
    "  http-request return status 503 content-type text/plain string \"DOWN\" if { path /health/ready }",
    "  stats enable",
    `  stats uri ${HAPROXY_STATS_PATH}`,
    "  stats refresh 5s",
    "",
  ].join("\n");
}

/** docker-compose.yml's balancer: the `keycloak` service in front of keycloak-1 and keycloak-2 (stack/compose/haproxy.cfg). */
export function composeBalancerPlan(): BalancerPlan {
  return {
    bindHost: "0.0.0.0",
    keycloak: { port: 8080, servers: ["keycloak-1", "keycloak-2"].map((name) => ({ name, host: name, port: 8080, checkPort: 9000 })) },
    controlPort: 8404,
    behindTlsProxy: true,
  };
}

export const COMPOSE_HAPROXY_HEADER =
  "# Generated from stack/src/parts/haproxy.ts (composeBalancerPlan) for docker-compose.yml; a unit test keeps it equal.";

function haproxyConfigFile(config: StackConfig): string {
  return join(config.stateDir, "haproxy.cfg");
}

/** Writes the configuration and starts HAProxy in the foreground (its own process group, log in logs/haproxy.log). */
export function startHaproxy(config: StackConfig, binary: string): SupervisedChild {
  const file = haproxyConfigFile(config);
  mkdirSync(config.stateDir, { recursive: true });
  writeFileSync(file, haproxyConfig(balancerPlan(config)));
  return new SupervisedChild({
    name: "haproxy",
    command: binary,
    args: ["-db", "-f", file],
    cwd: config.stateDir,
    env: { PATH: config.input.inherited.PATH ?? "" },
    logFile: join(config.stateDir, "logs", "haproxy.log"),
    stopGraceMs: 5_000,
  });
}

export function haproxyHealthUrl(config: StackConfig): string {
  return `http://localhost:${config.ports.keycloakManagement}${HAPROXY_STATS_PATH};csv`;
}

export type ServerState = "UP" | "DOWN" | "MAINT" | "NOLB" | "DRAIN" | string;

/** Each server's state as HAProxy sees it, by backend/server (e.g. "cms/cms-1" → "UP"), from the statistics page. */
export async function balancerServerStates(config: StackConfig): Promise<Map<string, ServerState>> {
  const response = await fetch(haproxyHealthUrl(config), { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`HAProxy statistics: HTTP ${response.status}`);
  const [header, ...rows] = (await response.text()).trim().split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  const at = (name: string) => columns.indexOf(name);
  const states = new Map<string, ServerState>();
  for (const row of rows) {
    const cells = row.split(",");
    const server = cells[at("svname")]!;
    if (server === "FRONTEND" || server === "BACKEND") continue;
    states.set(`${cells[at("pxname")]}/${server}`, (cells[at("status")] ?? "").split(" ")[0]!);
  }
  return states;
}
