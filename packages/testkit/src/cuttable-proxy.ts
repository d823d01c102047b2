// A TCP forwarder that a drill can cut and restore, to make one dependency
// unreachable for one client while everything else keeps working (point a
// Strapi instance's KEYCLOAK_INTERNAL_URL at it, then cut it: its JWKS and
// introspection calls fail, nobody else's do). While cut it still accepts
// connections and closes them at once, so the drill can count the attempts.
// It can also add latency: every chunk, in each direction, is passed on that
// many milliseconds after it arrived, in order (a slow link where the kernel
// has no netem; docs/decisions/0104-slow-link-without-netem.md). No
// backpressure while delaying: for drills, not for bulk transfers.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface CuttableProxy {
  /** http://<listen host>:<port> (127.0.0.1 unless told another address), to use as a base URL. */
  url: string;
  /** Drops every open connection and refuses new ones until restore(). */
  cut(): void;
  /** Delays every chunk by `ms` in each direction from now on, open connections included; 0 ends it. */
  setLatency(ms: number): void;
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
  let latencyMs = 0;
  const open = new Set<Socket>();
  /** Passes `from`'s data and end to `to`, each `latencyMs` after it arrived, never out of order. */
  const relay = (from: Socket, to: Socket) => {
    let queue = Promise.resolve();
    let pending = 0;
    const pass = (deliver: () => void) => {
      if (latencyMs === 0 && pending === 0) return deliver();
      const dueAt = Date.now() + latencyMs;
      pending++;
      queue = queue.then(async () => {
        const wait = dueAt - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        pending--;
        if (!to.destroyed) deliver();
      });
    };
    from.on("data", (chunk: Buffer) => pass(() => to.write(chunk)));
    from.on("end", () => pass(() => to.end()));
  };
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
    relay(client, upstream);
    relay(upstream, client);
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
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency ${ms} ms: a number of milliseconds, 0 or more`);
      latencyMs = ms;
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
