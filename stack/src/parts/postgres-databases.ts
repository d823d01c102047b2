// Creates the production topology's PostgreSQL roles and databases,
// idempotently: running it twice changes nothing. `fresh` drops them first
// (the production-mode test suite starts from empty databases).
import pg from "pg";
import type { ProductionTopology, Secrets } from "../stack-config.ts";

class PostgresError extends Error {
  readonly code = "ERR_POSTGRES";
}

export async function ensureDatabases(topology: ProductionTopology, secrets: Secrets, options: { fresh: boolean }): Promise<void> {
  const client = new pg.Client({ connectionString: topology.postgresAdminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new PostgresError(
      `PostgreSQL is not reachable at ${redact(topology.postgresAdminUrl)} (${(error as Error).message}). ` +
        "Start it, or point STACK_POSTGRES_URL at a superuser connection.",
    );
  }
  try {
    for (const [name, password] of [
      [topology.keycloakDatabase, secrets.keycloakDbPassword],
      [topology.cmsDatabase, secrets.cmsDbPassword],
    ] as const) {
      const role = pg.escapeIdentifier(name);
      if (options.fresh) {
        // Ends leftover connections of an earlier run so DROP DATABASE can proceed.
        await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
        await client.query(`DROP DATABASE IF EXISTS ${role}`);
      }
      const roleExists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]);
      const literal = pg.escapeLiteral(password);
      await client.query(roleExists.rowCount ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${literal}` : `CREATE ROLE ${role} WITH LOGIN PASSWORD ${literal}`);
      const dbExists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!dbExists.rowCount) await client.query(`CREATE DATABASE ${role} OWNER ${role}`);
    }
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
