// The DPoP proof ids seen by every cms instance: a table in the cms database
// (like the revocation table), so a proof replayed on another instance behind
// the proxy is refused too. Created with Strapi's knex connection, outside
// Strapi's content types: it is the API's own bookkeeping.
import type { Core } from "@strapi/strapi";
import type { DpopReplayStore } from "./verify-dpop-proof";

type Knex = Core.Strapi["db"]["connection"];

const DPOP_REPLAY_TABLE = "dpop_proof_ids";

// Expired ids are deleted at most this often, by whichever request comes by.
const PRUNE_INTERVAL_MS = 60_000;

export class DpopReplayTable implements DpopReplayStore {
  private lastPrune = 0;
  private ready: Promise<void> | undefined;

  constructor(private readonly knex: Knex) {}

  ensure(): Promise<void> {
    this.ready ??= (async () => {
      if (await this.knex.schema.hasTable(DPOP_REPLAY_TABLE)) return;
      try {
        await this.knex.schema.createTable(DPOP_REPLAY_TABLE, (table) => {
          table.string("id", 400).primary();
          table.bigInteger("expires_at").notNullable().index();
        });
      } catch (error) {
        // Another instance created it first.
        if (!(await this.knex.schema.hasTable(DPOP_REPLAY_TABLE))) throw error;
      }
    })();
    return this.ready;
  }

  async remember(id: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    await this.ensure();
    if (nowMs - this.lastPrune > PRUNE_INTERVAL_MS) {
      this.lastPrune = nowMs;
      await this.knex(DPOP_REPLAY_TABLE).where("expires_at", "<=", nowMs).delete();
    }
    const inserted = await this.knex(DPOP_REPLAY_TABLE).insert({ id, expires_at: expiresAtMs }).onConflict("id").ignore().returning("id");
    return inserted.length > 0;
  }
}
