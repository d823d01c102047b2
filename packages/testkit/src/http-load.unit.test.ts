import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad } from "./http-load.ts";

let server: Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;
const connections = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    connections.add(req.socket);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      if (req.url === "/fail") res.writeHead(503).end("no");
      else res.writeHead(200, { "content-type": "text/plain" }).end(req.headers["x-who"] ?? "anonymous");
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("runLoad", () => {
  it("keeps at most `concurrency` requests in flight over reused connections and counts answers", async () => {
    maxInFlight = 0;
    connections.clear();
    const result = await runLoad({ url: `${base}/ok`, headers: { "x-who": "alice" }, concurrency: 4, durationMs: 2_000, accept: (status, body) => status === 200 && body === "alice" });
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(connections.size).toBeLessThanOrEqual(4);
    expect(result.requests).toBeGreaterThan(10);
    expect(result.failures).toBe(0);
    expect(result.statuses).toEqual({ "200": result.requests });
    expect(result.latencyMs.p50).toBeGreaterThan(0);
  });

  it("counts refused answers and wire errors as failures, with their status or code only", async () => {
    const refused = await runLoad({ url: `${base}/fail`, concurrency: 2, durationMs: 100 });
    expect(refused.failures).toBe(refused.requests);
    expect(refused.failureSamples[0]).toBe("HTTP 503");

    const closed = await runLoad({ url: "http://127.0.0.1:1/", concurrency: 1, durationMs: 50 });
    expect(closed.failures).toBe(closed.requests);
    expect(closed.failureSamples[0]).toBe("ECONNREFUSED");
  });

  it("holds a total rate when paced", async () => {
    const result = await runLoad({ url: `${base}/ok`, concurrency: 4, durationMs: 500, ratePerSecond: 40 });
    // 40/s for 0.5 s: about 20 requests, never the hundreds an unpaced run sends.
    expect(result.requests).toBeGreaterThanOrEqual(10);
    expect(result.requests).toBeLessThanOrEqual(21);
  });

  it("calls the measured phase's start and end hooks once each, around the counted answers", async () => {
    const calls: { hook: string; at: number }[] = [];
    const started = performance.now();
    const result = await runLoad({
      url: `${base}/ok`,
      concurrency: 2,
      warmupMs: 300,
      durationMs: 500,
      onMeasureStart: () => calls.push({ hook: "start", at: performance.now() - started }),
      onMeasureEnd: () => calls.push({ hook: "end", at: performance.now() - started }),
    });
    expect(calls.map((call) => call.hook)).toEqual(["start", "end"]);
    expect(calls[0]!.at).toBeGreaterThanOrEqual(250);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(450);
    expect(result.requests).toBeGreaterThan(0);
  });

  it("refuses nonsense options", async () => {
    await expect(runLoad({ url: `${base}/ok`, concurrency: 0, durationMs: 10 })).rejects.toThrow(TypeError);
    await expect(runLoad({ url: "https://example.test/", concurrency: 1, durationMs: 10 })).rejects.toThrow(TypeError);
  });
});
