// A small local load balancer for the production topology: round robin over
// the instances, skipping one that refuses connections (so a restarted or
// stopped instance does not fail requests while its peer is up). Requests are
// buffered before forwarding so a refused attempt can be replayed safely:
// nothing reached the refused instance. It listens on loopback unless told
// otherwise, and forwards only the paths `publishes` accepts (the CMS publishes
// /api and its health check: cmsPublishedPath); the rest answer 404 here.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  url: string;
  /** Where it listens. */
  address: AddressInfo;
  close(): Promise<void>;
}

export interface RoundRobinProxyOptions {
  /** Listen port; 0 picks a free one. */
  port: number;
  upstreamPorts: number[];
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Whether a request target (path and query, as received) is forwarded; default every one. */
  publishes?: (target: string) => boolean;
}

export async function startRoundRobinProxy(options: RoundRobinProxyOptions): Promise<RoundRobinProxy> {
  let next = 0;
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (options.publishes && !options.publishes(req.url ?? "")) {
      // Read nothing, forward nothing; close the connection so an unread body cannot linger.
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("Not Found");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const start = next++ % options.upstreamPorts.length;
    const attempt = (i: number): void => {
      if (i >= options.upstreamPorts.length) {
        res.writeHead(502, { "content-type": "text/plain" }).end("no instance is reachable\n");
        return;
      }
      const port = options.upstreamPorts[(start + i) % options.upstreamPorts.length]!;
      const upstream = request(
        {
          host: "127.0.0.1",
          port,
          method: req.method,
          path: req.url,
          headers: {
            ...req.headers,
            "x-forwarded-for": req.socket.remoteAddress ?? "",
            "x-forwarded-host": req.headers.host ?? "",
            "x-forwarded-proto": "http",
          },
        },
        (upstreamResponse) => {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
        },
      );
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED" && !res.headersSent) attempt(i + 1);
        else if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("upstream error\n");
        else res.destroy();
      });
      upstream.end(body);
    };
    attempt(0);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://localhost:${address.port}`,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
