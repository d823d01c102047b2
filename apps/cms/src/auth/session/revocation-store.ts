// Each instance's in-memory copy of the revocation table: loaded at start,
// updated at once by the instance's own inserts, and re-read from the table
// when another instance's insert is notified (PostgreSQL LISTEN/NOTIFY:
// revocation-listener.ts) and on a short interval (the backstop, and SQLite's
// only way), so a revocation received by another instance applies here at
// once, at the latest within that interval. The per-request check is two map lookups.
import type { RevocationRow, RevocationTable } from "./revocation-table";

export type Revocation = "revoked" | "uncertain";

export interface RevocationStoreOptions {
  table: Pick<RevocationTable, "ensure" | "insert" | "receivedSince" | "deleteExpired">;
  /** How often the table is re-read, ms. */
  pollIntervalMs: number;
  /** Rows are re-read this far back, ms: a row committed late (PostgreSQL commit order) is still seen. */
  overlapMs?: number;
  now?: () => number;
  onPollError?: (error: unknown) => void;
}

/** How often expired rows are deleted from the table (by every instance; deletes are idempotent). */
const PURGE_INTERVAL_MS = 60_000;

export class RevocationStore {
  /** sid → expiry (epoch ms). */
  private readonly sessions = new Map<string, number>();
  /** sub → { notBefore (epoch s), expiry (epoch ms) }. */
  private readonly subjects = new Map<string, { notBefore: number; expiresAt: number }>();
  private readonly seen = new Map<string, number>();
  private lastVerificationAt: number | undefined;
  private lastEventAt: number | undefined;
  private loadedUpTo: number | undefined;
  private lastPurge = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private readonly now: () => number;
  private readonly overlapMs: number;

  constructor(private readonly options: RevocationStoreOptions) {
    this.now = options.now ?? Date.now;
    this.overlapMs = options.overlapMs ?? 10_000;
  }

  /** True once the table has been read: before that, the store knows nothing and must not be trusted. */
  get loaded(): boolean {
    return this.loadedUpTo !== undefined;
  }

  /** Creates the table if needed, loads it, and starts polling. */
  async start(): Promise<void> {
    await this.options.table.ensure();
    await this.refresh();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Re-reads the table now (a NOTIFY from another instance, or the poll). One
   * read at a time; a wake during a read makes one more read after it.
   */
  wake(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.refresh()
      .catch((error: unknown) => this.options.onPollError?.(error))
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.wake();
        }
      });
  }

  /** Resolves once no read is running (tests). */
  async settled(): Promise<void> {
    while (this.refreshing) await this.refreshing;
  }

  /** Reads rows received since the last read (with overlap) and drops expired ones from memory. */
  async refresh(): Promise<void> {
    const now = this.now();
    const since = this.loadedUpTo === undefined ? 0 : this.loadedUpTo - this.overlapMs;
    const rows = await this.options.table.receivedSince(since, now);
    for (const row of rows) this.apply(row);
    this.loadedUpTo = now;
    this.forgetExpired(now);
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      await this.options.table.deleteExpired(now);
    }
  }

  /** Stores a row in the table (throws ReplayedEventError on a known jti) and applies it here at once. */
  async add(row: RevocationRow): Promise<void> {
    await this.options.table.insert(row);
    this.apply(row);
  }

  /** Whether the jti is known (a fast path before the table's unique key). */
  hasSeen(jti: string): boolean {
    const expiresAt = this.seen.get(jti);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /**
   * What the pushed revocations say about a token of this session and user,
   * issued at `iat` (epoch s): `revoked`; `uncertain` for a token issued in the
   * very second every session of the user ended (it may come from a session
   * started right after: only Keycloak knows); `undefined` when nothing applies.
   */
  revocationOf(sub: string, sid: string | undefined, iat: number): Revocation | undefined {
    const now = this.now();
    if (sid !== undefined) {
      const expiresAt = this.sessions.get(sid);
      if (expiresAt !== undefined && expiresAt > now) return "revoked";
    }
    const subject = this.subjects.get(sub);
    if (subject === undefined || subject.expiresAt <= now || iat > subject.notBefore) return undefined;
    return iat < subject.notBefore ? "revoked" : "uncertain";
  }

  /** Epoch ms of the newest verification event any instance received. */
  get verifiedAt(): number | undefined {
    return this.lastVerificationAt;
  }

  /** Epoch ms of the newest revocation any instance received. */
  get lastRevocationAt(): number | undefined {
    return this.lastEventAt;
  }

  get size(): { sessions: number; subjects: number } {
    return { sessions: this.sessions.size, subjects: this.subjects.size };
  }

  private apply(row: RevocationRow): void {
    if (row.expiresAt <= this.now()) return;
    this.seen.set(row.jti, row.expiresAt);
    switch (row.kind) {
      case "session":
        if (row.sid !== null) this.sessions.set(row.sid, Math.max(row.expiresAt, this.sessions.get(row.sid) ?? 0));
        this.lastEventAt = Math.max(this.lastEventAt ?? 0, row.receivedAt);
        break;
      case "subject":
        if (row.sub !== null) {
          const current = this.subjects.get(row.sub);
          this.subjects.set(row.sub, {
            notBefore: Math.max(row.notBefore, current?.notBefore ?? 0),
            expiresAt: Math.max(row.expiresAt, current?.expiresAt ?? 0),
          });
        }
        this.lastEventAt = Math.max(this.lastEventAt ?? 0, row.receivedAt);
        break;
      case "verification":
        this.lastVerificationAt = Math.max(this.lastVerificationAt ?? 0, row.receivedAt);
        break;
      case "ignored":
        break;
    }
  }

  private forgetExpired(now: number): void {
    for (const [sid, expiresAt] of this.sessions) if (expiresAt <= now) this.sessions.delete(sid);
    for (const [sub, entry] of this.subjects) if (entry.expiresAt <= now) this.subjects.delete(sub);
    for (const [jti, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(jti);
  }
}
