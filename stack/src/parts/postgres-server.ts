// The production-mode suite's own PostgreSQL (`npm run test:prod`): Debian's
// (or the PATH's) `initdb` makes a data folder in the stack's state folder on
// the first start, `postgres` serves it on loopback only (TCP, no Unix socket),
// so a drill can kill and restart it while Keycloak and Strapi are connected
// (test/drills/postgres-restart.prod.test.ts). The machine's PostgreSQL is never
// restarted. `npm run start:prod` keeps using STACK_POSTGRES_URL (decision 0102).
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import pg from "pg";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";

/** The folder holding `initdb` and `postgres`: PATH first, then Debian's /usr/lib/postgresql/<major>/bin, newest major first. */
export function findPostgresBin(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const debian = "/usr/lib/postgresql";
  const majors = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => join(debian, major, "bin"))
    : [];
  const dirs = [...(env.PATH ?? "").split(delimiter).filter(Boolean), ...majors];
  return dirs.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")));
}

export const MISSING_POSTGRES_SERVER_MESSAGE =
  "initdb and postgres not found (PATH, /usr/lib/postgresql/<major>/bin): npm run test:prod runs its own PostgreSQL (restarted by a drill). " +
  "Install the server (`apt-get install postgresql` on Debian or Ubuntu, `brew install postgresql` on macOS), or point STACK_POSTGRES_URL at a superuser connection.";

interface Account {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root: as root the server runs as the `postgres` account the
 * distribution's package created; as anyone else, as that user. Undefined: root without one.
 */
export function postgresAccount(): Account | undefined | "self" {
  if (process.getuid?.() !== 0) return "self";
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

export const ROOT_WITHOUT_POSTGRES_ACCOUNT_MESSAGE =
  "npm run test:prod runs its own PostgreSQL, which refuses to run as root, and there is no `postgres` account to run it as: " +
  "run the suite as another user, create the account (the `postgresql` package does), or point STACK_POSTGRES_URL at a superuser connection.";

function dataDir(config: StackConfig): string {
  return join(config.stateDir, "postgres", "data");
}

/** Creates the data folder once (initdb: superuser `postgres`, trust on loopback; the server listens on nothing else). */
function initialise(config: StackConfig, bin: string, account: Account | "self"): void {
  const dir = dataDir(config);
  if (existsSync(join(dir, "PG_VERSION"))) return;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  const owner = account === "self" ? {} : account;
  if (account !== "self") chownSync(dir, account.uid, account.gid);
  const result = spawnSync(
    join(bin, "initdb"),
    // --no-sync: only initdb's own final flush; the server fsyncs every commit as usual.
    ["-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
    { cwd: dir, env: { PATH: config.input.inherited.PATH ?? "" }, encoding: "utf8", ...owner },
  );
  if (result.status !== 0) {
    throw new Error(`initdb failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
}

export function startPostgresServer(config: StackConfig, bin: string, account: Account | "self", port: number): SupervisedChild {
  initialise(config, bin, account);
  const dir = dataDir(config);
  return new SupervisedChild({
    name: "postgres",
    command: join(bin, "postgres"),
    args: [
      "-D", dir,
      "-p", String(port),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      // Two Keycloak nodes' pools, two Strapi pools, their revocation listeners and the drills.
      "-c", "max_connections=300",
    ],
    cwd: dir,
    env: { PATH: config.input.inherited.PATH ?? "", LC_ALL: "C" },
    logFile: join(config.stateDir, "logs", "postgres.log"),
    // SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to leave; SIGINT ends them.
    stopSignal: "SIGINT",
    stopGraceMs: 20_000,
    ...(account === "self" ? {} : account),
  });
}

/** Resolves true once the server accepts a query. */
export async function postgresAnswers(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
