// Lets tests stop and start single parts of the running test stack (drills:
// Keycloak down for 30 s, Strapi restarted, ...). Listens on 127.0.0.1 only, on
// a random port, behind a random path token; the test runner hands its URL to
// vitest as STACK_CONTROL_URL.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Stack } from "./stack.ts";

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export async function startControlServer(stack: Stack): Promise<ControlServer> {
  const token = randomBytes(16).toString("hex");
  const server = createServer(async (req, res) => {
    const match = /^\/([0-9a-f]+)\/parts(?:\/([\w-]+)\/(stop|start|restart|kill))?$/.exec(req.url ?? "");
    if (!match || match[1] !== token) {
      res.writeHead(404).end();
      return;
    }
    const [, , name, action] = match;
    try {
      if (!name) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ parts: stack.partNames() }));
        return;
      }
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      if (action === "kill") await stack.killPart(name);
      if (action === "stop" || action === "restart") await stack.stopPart(name);
      if (action === "start" || action === "restart") await stack.startPart(name);
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(error instanceof TypeError ? 404 : 500, { "content-type": "text/plain" }).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
