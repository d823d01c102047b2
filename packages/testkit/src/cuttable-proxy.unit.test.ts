import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCuttableProxy, type CuttableProxy } from "./cuttable-proxy.ts";

let upstream: Server;
let proxy: CuttableProxy;

beforeAll(async () => {
  upstream = createServer((_req, res) => res.end("through"));
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
});
