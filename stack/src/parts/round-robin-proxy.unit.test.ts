// The proxy in front of the production topology's instances, with real local
// upstream servers: it listens on loopback and forwards to Strapi only what
// cmsPublishedPath allows.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmsPublishedPath } from "./cms-server.ts";
import { startRoundRobinProxy, type RoundRobinProxy } from "./round-robin-proxy.ts";

const seen: string[] = [];
let upstream: Server;
let proxy: RoundRobinProxy;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "text/plain" }).end("upstream");
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  proxy = await startRoundRobinProxy({ port: 0, upstreamPorts: [upstreamPort], publishes: cmsPublishedPath });
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

/** One request with the target sent exactly as written (fetch would normalise it). */
function send(method: string, target: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxy.address.port, method, path: target, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("round-robin proxy", () => {
  it("listens on loopback by default", () => {
    expect(proxy.address.address).toBe("127.0.0.1");
  });

  it("forwards the content API and the health check", async () => {
    seen.length = 0;
    for (const target of ["/api/notes", "/api/notes/abc?populate=owner", "/api", "/_health"]) {
      expect(await send("GET", target), target).toBe(200);
    }
    expect(seen).toEqual(["GET /api/notes", "GET /api/notes/abc?populate=owner", "GET /api", "GET /_health"]);
  });

  it("answers 404 itself for every other path, without reaching an instance", async () => {
    seen.length = 0;
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
      ["GET", "/apiadmin"],
      ["GET", "http://localhost/admin/init"],
    ] as const;
    for (const [method, target] of closed) {
      expect(await send(method, target, method === "POST" ? "{}" : undefined), `${method} ${target}`).toBe(404);
    }
    expect(seen).toEqual([]);
  });
});
