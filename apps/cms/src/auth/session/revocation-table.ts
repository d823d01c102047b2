// The revocation set in the CMS database, shared by every Strapi instance and
// kept across restarts (docs/decisions/0053-revocation-table.md). One row per
// accepted SET: its `jti` is unique, so a replay is refused even when it reaches
// another instance. Created with Strapi's knex connection, outside Strapi's
// content types: Strapi's schema sync leaves tables it did not create alone.
import type { Core } from "@strapi/strapi";

const REVOCATION_TABLE = "keycloak_revocations";

type RevocationKind = "session" | "subject" | "verification" | "ignored";

export interface RevocationRow {
  jti: string;
  kind: RevocationKind;
  sub: string | null;
  sid: string | null;
  /** `subject`: tokens issued before this (epoch seconds) are refused, those of this second introspected; otherwise 0. */
  notBefore: number;
  /** Epoch ms. */
  receivedAt: number;
  /** Epoch ms; the row is deleted after this. */
  expiresAt: number;
}

export class ReplayedEventError extends Error {
  readonly code = "ERR_REPLAYED_EVENT";
  constructor() {
    super("A Security Event Token with this jti was stored before.");
    this.name = "ReplayedEventError";
  }
}

type Knex = Core.Strapi["db"]["connection"];

interface StoredRow {
  jti: string;
  kind: RevocationKind;
  sub: string | null;
  sid: string | null;
  not_before: number | string;
  received_at: number | string;
  expires_at: number | string;
}

export interface RevocationTableOptions {
  /**
   * PostgreSQL: NOTIFY `notifyChannel` after each insert, so the other instances
   * (RevocationListener) load the row at once. Unset on SQLite, which polls.
   */
  notifyChannel?: string;
}

export class RevocationTable {
  constructor(
    private readonly knex: Knex,
    private readonly options: RevocationTableOptions = {},
  ) {}

  async ensure(): Promise<void> {
    if (await this.knex.schema.hasTable(REVOCATION_TABLE)) return;
    try {
      await this.knex.schema.createTable(REVOCATION_TABLE, (table) => {
        table.string("jti", 256).primary();
        table.string("kind", 16).notNullable();
        table.string("sub", 255).nullable();
        table.string("sid", 255).nullable();
        table.bigInteger("not_before").notNullable();
        table.bigInteger("received_at").notNullable().index();
        table.bigInteger("expires_at").notNullable().index();
      });
    } catch (error) {
      // Another instance created it first.
      if (!(await this.knex.schema.hasTable(REVOCATION_TABLE))) throw error;
    }
  }

  /** Throws ReplayedEventError when the jti is there already. */
  async insert(row: RevocationRow): Promise<void> {
    const inserted = await this.knex(REVOCATION_TABLE)
      .insert({
        jti: row.jti,
        kind: row.kind,
        sub: row.sub,
        sid: row.sid,
        not_before: row.notBefore,
        received_at: row.receivedAt,
        expires_at: row.expiresAt,
      })
      .onConflict("jti")
      .ignore()
      .returning("jti");
    if (inserted.length === 0) throw new ReplayedEventError();
    // After the insert's commit, so a woken instance reads the row.
    if (this.options.notifyChannel) await this.knex.raw("select pg_notify(?, ?)", [this.options.notifyChannel, row.kind]);
  }

  /** Rows received at or after `since` (epoch ms) that have not expired. */
  async receivedSince(since: number, now: number): Promise<RevocationRow[]> {
    const rows = (await this.knex(REVOCATION_TABLE)
      .select("jti", "kind", "sub", "sid", "not_before", "received_at", "expires_at")
      .where("received_at", ">=", since)
      .andWhere("expires_at", ">", now)) as StoredRow[];
    return rows.map((row) => ({
      jti: row.jti,
      kind: row.kind,
      sub: row.sub,
      sid: row.sid,
      notBefore: Number(row.not_before),
      receivedAt: Number(row.received_at),
      expiresAt: Number(row.expires_at),
    }));
  }

  async deleteExpired(now: number): Promise<number> {
    return this.knex(REVOCATION_TABLE).where("expires_at", "<=", now).delete();
  }
}
