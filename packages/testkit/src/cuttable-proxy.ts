// A TCP forwarder that a drill can cut and restore, to make one dependency
// unreachable for one client while everything else keeps working (point a
// Strapi instance's KEYCLOAK_INTERNAL_URL at it, then cut it: its JWKS and
// introspection calls fail, nobody else's do). While cut it still accepts
// connections and closes them at once, so the drill can count the attempts.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface CuttableProxy {
  /** http://<listen host>:<port> (127.0.0.1 unless told another address), to use as a base URL. */
  url: string;
  /** Drops every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  /** Connections refused while cut, in total. */
  readonly refused: number;
  /** Connections forwarded, in total. */
  readonly forwarded: number;
  close(): Promise<void>;
}

/** `listenHost`: where the forwarder listens (a drill's network namespace reaches the stack's loopback-only parts through an address on its link). */
export async function startCuttableProxy(target: { host: string; port: number }, listenHost = "127.0.0.1"): Promise<CuttableProxy> {
  let isCut = false;
  let refused = 0;
  let forwarded = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    forwarded++;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listenHost}:${port}`,
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      isCut = false;
    },
    get refused() {
      return refused;
    },
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
