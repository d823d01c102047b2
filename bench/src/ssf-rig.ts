// What the Shared Signals measurements (ssf-*.ts) share: Strapi running in both
// revocation modes, two instances of each, next to the bench stack.
//   ssf            two instances on a PostgreSQL database of their own, as in
//                  production (docs/decisions/0058-bench-ssf-pair-on-postgresql.md):
//                  Keycloak pushes to the first (a receiver client of the pair's
//                  own, so the bench stack's Strapi keeps its stream), which
//                  stores the revocation; a NOTIFY wakes the second, LISTENing
//                  on its own connection.
//   introspection  two more instances with KEYCLOAK_REVOCATION=introspection on
//                  the same database (they register no stream; three Strapi
//                  processes on the bench stack's SQLite file made its user
//                  inserts fail with "database is locked").
// Each extra instance is the same `node apps/cms/bin/serve.mjs` the stack runs
// (stack/src/parts/cms-server.ts), on a port of its own; the rig stops them.
// It also opens many Keycloak sessions cheaply: users whose passwords are
// hashed with one PBKDF2 iteration (a password policy set for the moment the
// users are created, then restored), so 1,000 sign-ins through the hosted login
// page cost seconds, not minutes of hashing.
import { join } from "node:path";
import { cmsDir, cmsEnv, cmsHealthUrl } from "@stack/runner/parts/cms-server";
import { SupervisedChild } from "@stack/runner/process/child-process";
import { waitForHttp } from "@stack/runner/process/wait-for-http";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { DisposableUser } from "@stack/testkit/realm-admin";
import type { BenchContext } from "./bench-context.ts";
import { createPairDatabase, createPairReceiver } from "./ssf-postgres-pair.ts";

export type RevocationMode = "ssf" | "introspection";
export const REVOCATION_MODES: readonly RevocationMode[] = ["ssf", "introspection"];

export interface CmsProcess {
  name: string;
  url: string;
  /** The Strapi process itself (serve.mjs boots Strapi in-process). */
  pid: number;
  /** The Keycloak client it introspects as (the one whose INTROSPECT_TOKEN events count). */
  clientId: string;
}

export interface SsfRig {
  /** Two instances per mode. */
  instances: Record<RevocationMode, [CmsProcess, CmsProcess]>;
  stop(): Promise<void>;
}

// Ports of the extra instances: next to the bench stack's Strapi port.
const EXTRA_PORT_OFFSETS = { ssf1: 1, introspection1: 2, introspection2: 3, ssf2: 4 };
const PAIR_DATABASE = "cms_bench_ssf";
const PAIR_CLIENT_ID = "cms-bench-ssf";
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export async function startSsfRig(context: BenchContext): Promise<SsfRig> {
  const { config, env, say } = context;
  const children: SupervisedChild[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => say(`  rig cleanup: ${error.message}`));
  };
  const start = async (name: string, port: number, overrides: Record<string, string>, clientId = "cms"): Promise<CmsProcess> => {
    const child = new SupervisedChild({
      name,
      command: process.execPath,
      args: [join(cmsDir, "bin", "serve.mjs")],
      cwd: cmsDir,
      // cmsEnv keeps the stack's database file, secrets, push URL and push secret.
      env: { ...config.input.inherited, ...cmsEnv(config, port), ...overrides },
      logFile: join(config.stateDir, "logs", `${name}.log`),
    });
    children.push(child);
    try {
      await waitForHttp({ url: cmsHealthUrl(port), accept: (status) => status === 204 || status === 200, timeoutMs: 180_000, child });
    } catch (error) {
      throw new Error(`${name} did not start: ${(error as Error).message}\n${child.tail(30)}`);
    }
    say(`  ${name} ready on port ${port}`);
    return { name, url: `http://localhost:${port}`, pid: child.pid, clientId };
  };
  try {
    const base = config.ports.cms;
    const database = await createPairDatabase(config.input.postgresUrl ?? DEFAULT_POSTGRES_URL, PAIR_DATABASE);
    cleanups.push(database.drop);
    const pushUrl = `http://127.0.0.1:${base + EXTRA_PORT_OFFSETS.ssf1}/api/ssf/events`;
    const receiver = await createPairReceiver(context.admin, env.realm, PAIR_CLIENT_ID, pushUrl);
    cleanups.push(receiver.remove);
    const pair = {
      KEYCLOAK_REVOCATION: "ssf",
      DATABASE_CLIENT: "postgres",
      DATABASE_URL: database.url,
      KEYCLOAK_CMS_CLIENT_ID: receiver.clientId,
      KEYCLOAK_CMS_CLIENT_SECRET: receiver.secret,
      KEYCLOAK_SSF_PUSH_URL: pushUrl,
    };
    // One at a time: each Strapi syncs its schema and permissions at start.
    const ssf1 = await start("cms-bench-ssf-1", base + EXTRA_PORT_OFFSETS.ssf1, pair, receiver.clientId);
    const ssf2 = await start("cms-bench-ssf-2", base + EXTRA_PORT_OFFSETS.ssf2, pair, receiver.clientId);
    const introspecting = { KEYCLOAK_REVOCATION: "introspection", DATABASE_CLIENT: "postgres", DATABASE_URL: database.url };
    const intro1 = await start("cms-bench-introspection-1", base + EXTRA_PORT_OFFSETS.introspection1, introspecting);
    const intro2 = await start("cms-bench-introspection-2", base + EXTRA_PORT_OFFSETS.introspection2, introspecting);
    for (const instance of [ssf1, ssf2]) await waitForPushedMode(instance);
    // An instance in introspection mode mounts no Shared Signals routes.
    for (const instance of [intro1, intro2]) {
      const response = await fetch(`${instance.url}/api/ssf/health`);
      await response.body?.cancel();
      if (response.status !== 404) throw new Error(`${instance.name} serves /api/ssf/health (HTTP ${response.status}): it is not in introspection mode`);
    }
    return { instances: { ssf: [ssf1, ssf2], introspection: [intro1, intro2] }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** GET /api/ssf/health of one instance. */
async function ssfHealth(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/ssf/health`, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}/api/ssf/health answered HTTP ${response.status}`);
  const body = (await response.json()) as Record<string, unknown> & { data?: Record<string, unknown> };
  return body.data && typeof body.data === "object" ? body.data : body;
}

/** Waits until the instance checks requests against the pushed set alone (stream registered and verified). */
async function waitForPushedMode(instance: CmsProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    last = await ssfHealth(instance.url).catch((error: Error) => ({ error: error.message }));
    // The pair wakes each other through NOTIFY only while both LISTEN.
    if (last.pushed === true && last.tableUpdates === "listen") return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${instance.name}: the Shared Signals stream did not become healthy within ${timeoutMs / 1000} s (${JSON.stringify(last)})`);
}

export interface BenchSessions {
  /** One access token per Keycloak session (distinct `sid`), each valid for an hour. */
  tokens: string[];
  users: DisposableUser[];
  close(): Promise<void>;
}

/**
 * `count` distinct Keycloak sessions, `perUser` per user, each signed in
 * through the hosted login page (authorization code + PKCE; the realm allows no
 * password grant). Their access tokens live an hour, so only revocation ends them.
 */
export async function openSessions(context: BenchContext, label: string, count: number, perUser = 50): Promise<BenchSessions> {
  const { admin, env } = context;
  const users: DisposableUser[] = [];
  const close = async () => {
    for (const user of users) await admin.deleteUser(user);
  };
  try {
    // Keycloak re-hashes a password at sign-in when the policy asks for another
    // hash, so the cheap policy stays on for the sign-ins too.
    const tokens = await withCheapPasswordHashing(context, async () => {
      for (let i = 0; i < Math.ceil(count / perUser); i++) users.push(await admin.createUser(`${label}-${i + 1}`));
      return admin.withWebAccessTokenLifespan(3600, async () => {
        const issued: string[] = [];
        let nextUser = 0;
        // A few users at a time, each user's sign-ins one after another: two
        // concurrent sign-ins of one user race on its credential row in
        // Keycloak (an optimistic-lock failure there counts as a failed
        // sign-in, and brute-force protection locks the account).
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (nextUser < users.length) {
              const index = nextUser++;
              const user = users[index]!;
              const sessionsOfUser = Math.min(perUser, count - index * perUser);
              for (let i = 0; i < sessionsOfUser; i++) issued.push((await tokensFor(env, user.email, user.password)).access_token);
            }
          }),
        );
        return issued;
      });
    });
    return { tokens, users, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function withCheapPasswordHashing<T>(context: BenchContext, run: () => Promise<T>): Promise<T> {
  const { admin, env } = context;
  const realm = await admin.client.realms.findOne({ realm: env.realm });
  const original = realm?.passwordPolicy ?? "";
  const cheap = [original, "hashAlgorithm(pbkdf2-sha256)", "hashIterations(1)"].filter(Boolean).join(" and ");
  await admin.client.realms.update({ realm: env.realm }, { passwordPolicy: cheap });
  try {
    return await run();
  } finally {
    await admin.client.realms.update({ realm: env.realm }, { passwordPolicy: original });
  }
}
