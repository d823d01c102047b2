// The generated HAProxy configuration, run by the real HAProxy against small
// local upstream servers: Strapi's closed doors (moved from the deleted
// round-robin proxy's test), retries only where nothing can be duplicated,
// X-Forwarded-* headers, stickiness on AUTH_SESSION_ID, health checks.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SupervisedChild } from "../process/child-process.ts";
import { waitForHttp } from "../process/wait-for-http.ts";
import { cmsPublishedPath } from "./cms-server.ts";
import { findHaproxy, haproxyConfig, HAPROXY_STATS_PATH, MISSING_HAPROXY_MESSAGE, type BalancerPlan } from "./haproxy.ts";

interface Upstream {
  name: string;
  server: Server;
  port: number;
  seen: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  /** Replaces the default answer (200 with the upstream's name). */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

const dir = mkdtempSync(join(tmpdir(), "haproxy-test-"));
const upstreams: Record<string, Upstream> = {};
let plan: BalancerPlan & Required<Pick<BalancerPlan, "web" | "cms">>;
let haproxy: SupervisedChild;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startUpstream(name: string, port = 0): Promise<Upstream> {
  const upstream: Upstream = { name, server: undefined as unknown as Server, port, seen: [] };
  upstream.server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      // Health checks are not traffic.
      if (!/^\/(_health|api\/health|health\/ready)$/.test(req.url ?? "")) upstream.seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      if (upstream.handler) upstream.handler(req, res);
      else res.writeHead(req.url === "/_health" ? 204 : 200, { "content-type": "text/plain" }).end(req.url === "/_health" ? undefined : name);
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(port, "127.0.0.1", resolve));
  upstream.port = (upstream.server.address() as AddressInfo).port;
  upstreams[name] = upstream;
  return upstream;
}

async function stopUpstream(upstream: Upstream): Promise<void> {
  upstream.server.closeAllConnections();
  await new Promise((resolve) => upstream.server.close(resolve));
}

/** One request with the target sent exactly as written (fetch would normalise it). */
function send(port: number, method: string, target: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: IncomingMessage["headers"] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path: target, headers: { ...(options.body ? { "content-type": "application/json" } : {}), ...options.headers }, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

async function serverState(key: string): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${plan.controlPort}${HAPROXY_STATS_PATH};csv`);
  const [header, ...rows] = (await response.text()).trim().split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  const row = rows.map((r) => r.split(",")).find((cells) => `${cells[columns.indexOf("pxname")]}/${cells[columns.indexOf("svname")]}` === key);
  return row?.[columns.indexOf("status")];
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const binary = findHaproxy(process.env);

beforeAll(async () => {
  if (!binary) throw new Error(MISSING_HAPROXY_MESSAGE);
  for (const name of ["keycloak-1", "keycloak-2", "web-1", "web-2", "cms-1", "cms-2"]) await startUpstream(name);
  const server = (name: string) => ({ name, port: upstreams[name]!.port });
  plan = {
    bindHost: "127.0.0.1",
    // The health check of a Keycloak node goes to its own (management) port: here the same server.
    keycloak: { port: await freePort(), servers: ["keycloak-1", "keycloak-2"].map((n) => ({ ...server(n), checkPort: upstreams[n]!.port })) },
    web: { port: await freePort(), servers: ["web-1", "web-2"].map(server) },
    cms: { port: await freePort(), servers: ["cms-1", "cms-2"].map(server) },
    controlPort: await freePort(),
  };
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig(plan));
  haproxy = new SupervisedChild({ name: "haproxy", command: binary, args: ["-db", "-f", file], cwd: dir, env: { PATH: process.env.PATH ?? "" }, logFile: join(dir, "haproxy.log") });
  await waitForHttp({ url: `http://127.0.0.1:${plan.controlPort}${HAPROXY_STATS_PATH};csv`, timeoutMs: 30_000, child: haproxy });
  for (const name of Object.keys(upstreams)) {
    const backend = name.replace(/-\d+$/, "");
    await until(`${name} up`, async () => (await serverState(`${backend}/${name}`))?.startsWith("UP") ?? false);
  }
}, 60_000);

afterAll(async () => {
  await haproxy?.stop();
  await Promise.all(Object.values(upstreams).map((u) => (u.server.listening ? stopUpstream(u) : undefined)));
  rmSync(dir, { recursive: true, force: true });
});

describe("HAProxy configuration", () => {
  it("is accepted by `haproxy -c`", () => {
    const result = spawnSync(binary!, ["-c", "-f", join(dir, "haproxy.cfg")], { encoding: "utf8" });
    expect(result.status, result.stderr + result.stdout).toBe(0);
  });

  it("listens on the stack's bind address only", () => {
    const config = haproxyConfig({ ...plan, bindHost: "127.0.0.1" });
    const binds = config.split("\n").filter((line) => line.trim().startsWith("bind "));
    expect(binds).toHaveLength(4);
    for (const line of binds) expect(line).toMatch(/^ {2}bind 127\.0\.0\.1:\d+$/);
  });
});

describe("Strapi's closed doors at the balancer", () => {
  it("forwards the content API and the health check", async () => {
    for (const u of [upstreams["cms-1"]!, upstreams["cms-2"]!]) u.seen.length = 0;
    for (const target of ["/api/notes", "/api/notes/abc?populate=owner", "/api"]) {
      expect(cmsPublishedPath(target), target).toBe(true);
      expect((await send(plan.cms.port, "GET", target)).status, target).toBe(200);
    }
    expect((await send(plan.cms.port, "GET", "/_health")).status).toBe(204);
    const seen = [...upstreams["cms-1"]!.seen, ...upstreams["cms-2"]!.seen].map((r) => `${r.method} ${r.url}`).sort();
    expect(seen).toEqual(["GET /api", "GET /api/notes", "GET /api/notes/abc?populate=owner"]);
  });

  it("answers 404 itself for every other path, without reaching an instance (the rule of cmsPublishedPath)", async () => {
    for (const u of [upstreams["cms-1"]!, upstreams["cms-2"]!]) u.seen.length = 0;
    const closed = [
      ["POST", "/admin/register-admin"],
      ["GET", "/admin/init"],
      ["POST", "/admin/login"],
      ["GET", "/content-manager/collection-types/api::note.note"],
      ["GET", "/content-type-builder/content-types"],
      ["GET", "/upload/files"],
      ["GET", "/i18n/locales"],
      ["GET", "/users-permissions/roles"],
      ["GET", "/documentation"],
      ["GET", "/"],
      ["GET", "/api/../admin/init"],
      ["GET", "/api/%2e%2e/admin/init"],
      ["GET", "/api/%2E%2E/admin/init"],
      ["GET", "/api/notes%2f..%2fadmin"],
      ["GET", "/api/..%5cadmin"],
      ["GET", "/apiadmin"],
      ["GET", "http://localhost/admin/init"],
    ] as const;
    for (const [method, target] of closed) {
      if (!target.startsWith("http")) expect(cmsPublishedPath(target), target).toBe(false);
      // An absolute-form target whose authority matches the Host header (HAProxy refuses a mismatch with 400).
      const headers = target.startsWith("http") ? { host: "localhost" } : undefined;
      expect((await send(plan.cms.port, method, target, { body: method === "POST" ? "{}" : undefined, headers })).status, `${method} ${target}`).toBe(404);
    }
    expect((await send(plan.cms.port, "GET", "http://localhost/api/notes", { headers: { host: "elsewhere" } })).status).toBe(400);
    expect([...upstreams["cms-1"]!.seen, ...upstreams["cms-2"]!.seen]).toEqual([]);
  });
});

describe("forwarded headers", () => {
  it("sets X-Forwarded-For/-Proto/-Host/-Port and overwrites what the client sent", async () => {
    for (const u of [upstreams["keycloak-1"]!, upstreams["keycloak-2"]!]) u.seen.length = 0;
    await send(plan.keycloak.port, "GET", "/realms/app", { headers: { host: `localhost:${plan.keycloak.port}`, "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } });
    const [seen] = [...upstreams["keycloak-1"]!.seen, ...upstreams["keycloak-2"]!.seen];
    expect(seen?.headers["x-forwarded-host"]).toBe(`localhost:${plan.keycloak.port}`);
    expect(seen?.headers["x-forwarded-proto"]).toBe("http");
    expect(seen?.headers["x-forwarded-port"]).toBe(String(plan.keycloak.port));
    expect(seen?.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });
});

describe("Keycloak stickiness", () => {
  it("keeps a request carrying an AUTH_SESSION_ID on the node that issued it", async () => {
    for (const name of ["keycloak-1", "keycloak-2"]) {
      upstreams[name]!.handler = (req, res) => {
        const headers: Record<string, string> = { "content-type": "text/plain" };
        if (req.url === "/login") headers["set-cookie"] = `AUTH_SESSION_ID=${name}-${Math.random().toString(36).slice(2)}; Path=/realms/app/`;
        res.writeHead(200, headers).end(name);
      };
    }
    try {
      // Round robin without a cookie: both nodes answer.
      const plain = new Set<string>();
      for (let i = 0; i < 4; i++) plain.add((await send(plan.keycloak.port, "GET", "/login")).body);
      expect(plain).toEqual(new Set(["keycloak-1", "keycloak-2"]));
      for (let i = 0; i < 2; i++) {
        const first = await send(plan.keycloak.port, "GET", "/login");
        const cookie = String(first.headers["set-cookie"]).split(";")[0]!;
        for (let j = 0; j < 6; j++) {
          expect((await send(plan.keycloak.port, "GET", "/realms/app/step", { headers: { cookie } })).body).toBe(first.body);
        }
      }
    } finally {
      for (const name of ["keycloak-1", "keycloak-2"]) delete upstreams[name]!.handler;
    }
  });
});

describe("retries and health checks", () => {
  it("never sends a POST twice after it reached an instance, and retries a GET that got no answer", async () => {
    const [web1, web2] = [upstreams["web-1"]!, upstreams["web-2"]!];
    // Both instances accept the request, then hang up without an answer.
    for (const u of [web1, web2]) {
      u.seen.length = 0;
      u.handler = (req) => req.socket.destroy();
    }
    try {
      const post = await send(plan.web.port, "POST", "/api/notes", { body: "{}" });
      expect(post.status).toBe(502);
      expect(web1.seen.length + web2.seen.length).toBe(1);
      for (const u of [web1, web2]) u.seen.length = 0;
      const get = await send(plan.web.port, "GET", "/notes");
      expect(get.status).toBe(502);
      expect(web1.seen.length + web2.seen.length).toBeGreaterThan(1);
    } finally {
      for (const u of [web1, web2]) delete u.handler;
    }
  }, 30_000);

  it("a stopped instance: every request, POST included, is answered by the other, and the balancer marks it DOWN, then UP when it is back", async () => {
    const cms1 = upstreams["cms-1"]!;
    const port = cms1.port;
    await stopUpstream(cms1);
    upstreams["cms-2"]!.seen.length = 0;
    for (let i = 0; i < 10; i++) {
      const method = i % 2 ? "POST" : "GET";
      const response = await send(plan.cms.port, method, "/api/notes", { body: method === "POST" ? "{}" : undefined });
      expect(response.status, `${method} #${i}`).toBe(200);
      expect(response.body).toBe("cms-2");
    }
    // Each request reached cms-2 exactly once: a refused connection sent nothing, so its retry duplicates nothing.
    expect(upstreams["cms-2"]!.seen).toHaveLength(10);
    await until("cms-1 marked DOWN", async () => (await serverState("cms/cms-1"))?.startsWith("DOWN") ?? false);
    await startUpstream("cms-1", port);
    await until("cms-1 marked UP again", async () => (await serverState("cms/cms-1"))?.startsWith("UP") ?? false);
  }, 90_000);

  it("fails open: when no Keycloak node is ready but one is alive, that one serves (Keycloak's cluster check after a node loss)", async () => {
    const nodes = [upstreams["keycloak-1"]!, upstreams["keycloak-2"]!];
    for (const node of nodes) {
      node.handler = (req, res) => {
        if (req.url === "/health/ready") res.writeHead(503).end();
        else res.writeHead(200, { "content-type": "text/plain" }).end(node.name);
      };
    }
    try {
      for (const node of nodes) await until(`${node.name} not ready`, async () => (await serverState(`keycloak/${node.name}`))?.startsWith("DOWN") ?? false);
      const answer = await send(plan.keycloak.port, "GET", "/realms/app");
      expect(answer.status).toBe(200);
      expect(["keycloak-1", "keycloak-2"]).toContain(answer.body);
    } finally {
      for (const node of nodes) delete node.handler;
    }
    for (const node of nodes) await until(`${node.name} ready again`, async () => (await serverState(`keycloak/${node.name}`))?.startsWith("UP") ?? false);
  }, 90_000);

  it("/health/ready on the control port answers 200 while one Keycloak node is up, 503 when none is", async () => {
    const ready = () => send(plan.controlPort, "GET", "/health/ready").then((r) => r.status);
    expect(await ready()).toBe(200);
    const nodes = [upstreams["keycloak-1"]!, upstreams["keycloak-2"]!];
    const ports = nodes.map((n) => n.port);
    await stopUpstream(nodes[0]!);
    await until("keycloak-1 DOWN", async () => (await serverState("keycloak/keycloak-1"))?.startsWith("DOWN") ?? false);
    expect(await ready()).toBe(200);
    await stopUpstream(nodes[1]!);
    await until("no Keycloak node up", async () => (await ready()) === 503);
    await startUpstream("keycloak-1", ports[0]);
    await startUpstream("keycloak-2", ports[1]);
    await until("Keycloak ready again", async () => (await ready()) === 200);
  }, 90_000);
});
