// The revocation table's LISTEN connection with a fake pg client: a NOTIFY on
// the channel wakes the store, a lost or refused connection is re-opened (and
// the store re-reads the table once it listens again), stop() ends it for good.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { REVOCATION_CHANNEL, RevocationListener, type ListenClient } from "../src/auth/session/revocation-listener";

class FakeClient extends EventEmitter {
  queries: string[] = [];
  ended = false;
  constructor(private readonly refuse: boolean) {
    super();
  }
  async connect(): Promise<void> {
    if (this.refuse) throw new Error("connect ECONNREFUSED");
  }
  async query(sql: string): Promise<void> {
    this.queries.push(sql);
  }
  async end(): Promise<void> {
    this.ended = true;
  }
}

const listeners: RevocationListener[] = [];
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.stop();
});

function setup(refusals = 0) {
  const clients: FakeClient[] = [];
  const events: string[] = [];
  const listener = new RevocationListener({
    createClient: () => {
      const client = new FakeClient(clients.length < refusals);
      clients.push(client);
      return client as unknown as ListenClient;
    },
    onNotification: () => events.push("notification"),
    onListening: () => events.push("listening"),
    onError: (message) => events.push(`error: ${message}`),
    retryMinMs: 5,
    retryMaxMs: 20,
  });
  listeners.push(listener);
  return { listener, clients, events };
}

describe("RevocationListener", () => {
  it("LISTENs on the channel and wakes the store on its notifications only", async () => {
    const { listener, clients, events } = setup();
    await listener.start();
    expect(listener.listening).toBe(true);
    expect(clients[0]!.queries).toEqual([`LISTEN ${REVOCATION_CHANNEL}`]);
    clients[0]!.emit("notification", { channel: REVOCATION_CHANNEL, payload: "session" });
    clients[0]!.emit("notification", { channel: "something_else" });
    expect(events).toEqual(["listening", "notification"]);
  });

  it("a lost connection is re-opened, and the store re-reads the table once listening again", async () => {
    const { listener, clients, events } = setup();
    await listener.start();
    clients[0]!.emit("error", new Error("terminating connection due to administrator command"));
    expect(listener.listening).toBe(false);
    expect(clients[0]!.ended).toBe(true);
    await expect.poll(() => listener.listening).toBe(true);
    expect(clients).toHaveLength(2);
    expect(clients[1]!.queries).toEqual([`LISTEN ${REVOCATION_CHANNEL}`]);
    expect(events[0]).toBe("listening");
    expect(events[1]).toMatch(/^error: revocation LISTEN connection lost \(terminating connection/);
    expect(events[2]).toBe("listening");
    // The old client's late events change nothing.
    clients[0]!.emit("end");
    clients[1]!.emit("notification", { channel: REVOCATION_CHANNEL });
    expect(events.slice(3)).toEqual(["notification"]);
  });

  it("a refused connection is retried with a backoff until the database answers", async () => {
    const { listener, clients, events } = setup(3);
    await listener.start();
    expect(listener.listening).toBe(false);
    await expect.poll(() => listener.listening, { timeout: 5000 }).toBe(true);
    expect(clients).toHaveLength(4);
    expect(events.filter((e) => e.startsWith("error: "))).toHaveLength(3);
    expect(events.at(-1)).toBe("listening");
  });

  it("stop() ends the connection and nothing reconnects afterwards", async () => {
    const { listener, clients } = setup();
    await listener.start();
    await listener.stop();
    expect(clients[0]!.ended).toBe(true);
    expect(listener.listening).toBe(false);
    clients[0]!.emit("end");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clients).toHaveLength(1);
  });
});
