// PostgreSQL LISTEN for the revocation table (docs/decisions/0056-revocation-table-listen-notify.md):
// every insert is followed by a NOTIFY on REVOCATION_CHANNEL, and each Strapi
// instance keeps one dedicated connection (outside knex's pool) that LISTENs and
// wakes its store at once. The connection reconnects with a backoff; after each
// (re)connect the store re-reads the table, so nothing notified while it was
// down is missed. The store's poll stays as the backstop.
import pg from "pg";

export const REVOCATION_CHANNEL = "keycloak_revocations";

/** What the listener needs of a pg.Client (a fake in unit tests). */
export interface ListenClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<unknown>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  removeAllListeners(): unknown;
}

export interface RevocationListenerOptions {
  /** A new, unconnected client per attempt. */
  createClient: () => ListenClient;
  /** A row was inserted by some instance. */
  onNotification: () => void;
  /** The LISTEN is (again) in place: re-read the table for what happened meanwhile. */
  onListening?: () => void;
  /** Connection lost or refused; never carries the connection string. */
  onError?: (message: string) => void;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export function pgListenClient(connectionString: string): () => ListenClient {
  return () => new pg.Client({ connectionString, keepAlive: true, application_name: "cms revocation listener" }) as unknown as ListenClient;
}

export class RevocationListener {
  private client: ListenClient | undefined;
  private stopped = true;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private isListening = false;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: RevocationListenerOptions) {
    this.retryMinMs = options.retryMinMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.retryMs = this.retryMinMs;
  }

  /** Whether the LISTEN connection is up (for the health output). */
  get listening(): boolean {
    return this.isListening;
  }

  /** Connects in the background; resolves after the first attempt (either way). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    this.isListening = false;
    if (client) {
      client.removeAllListeners();
      // An error after end() must not crash the process.
      client.on("error", () => {});
      await client.end().catch(() => {});
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = this.options.createClient();
    this.client = client;
    let lost = false;
    const onLost = (reason: string) => {
      if (lost || this.client !== client) return;
      lost = true;
      this.isListening = false;
      this.client = undefined;
      client.removeAllListeners();
      client.on("error", () => {});
      void client.end().catch(() => {});
      if (this.stopped) return;
      this.options.onError?.(`revocation LISTEN connection lost (${reason}); reconnecting in ${Math.round(this.retryMs / 1000)} s`);
      this.scheduleReconnect();
    };
    client.on("error", (error) => onLost(error.message));
    client.on("end", () => onLost("connection ended"));
    client.on("notification", (message) => {
      if (message.channel === REVOCATION_CHANNEL) this.options.onNotification();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      onLost(error instanceof Error ? error.message : "unknown error");
      return;
    }
    if (this.stopped || this.client !== client) return;
    this.isListening = true;
    this.retryMs = this.retryMinMs;
    this.options.onListening?.();
  }

  private scheduleReconnect(): void {
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.retryMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
