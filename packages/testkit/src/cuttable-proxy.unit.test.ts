import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCuttableProxy, type CuttableProxy } from "./cuttable-proxy.ts";

let upstream: Server;
let proxy: CuttableProxy;

beforeAll(async () => {
  // Echoes a POST body (to check order and completeness through a delayed link); answers "through" otherwise.
  upstream = createServer((req, res) => {
    if (req.method !== "POST") return void res.end("through");
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => res.end(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startCuttableProxy({ host: "127.0.0.1", port: (upstream.address() as AddressInfo).port });
});

afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("cuttable proxy", () => {
  it("forwards, refuses while cut (counting the attempts), and forwards again after restore", async () => {
    expect(await (await fetch(proxy.url)).text()).toBe("through");
    proxy.cut();
    await expect(fetch(proxy.url)).rejects.toThrow();
    expect(proxy.refused).toBeGreaterThanOrEqual(1);
    proxy.restore();
    expect(await (await fetch(proxy.url)).text()).toBe("through");
    expect(proxy.forwarded).toBeGreaterThanOrEqual(2);
  });

  it("with latency, every chunk in each direction arrives that much later, in order and complete", async () => {
    const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(""));
    proxy.setLatency(150);
    try {
      const started = Date.now();
      const echoed = Buffer.from(await (await fetch(proxy.url, { method: "POST", body })).arrayBuffer());
      // A lower bound only: the request and the answer each waited at least once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(echoed.equals(body)).toBe(true);
    } finally {
      proxy.setLatency(0);
    }
    expect(() => proxy.setLatency(-1)).toThrow(RangeError);
    expect(await (await fetch(proxy.url)).text()).toBe("through");
  });
});
