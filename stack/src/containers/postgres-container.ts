// PostgreSQL for the production topology when the harness runs containers: a
// throw-away server per stack (no volume). The stack then creates its roles
// and databases through the same code as natively
// (stack/src/parts/postgres-databases.ts), over the published port.
import { POSTGRES_IMAGE } from "./container-images.ts";
import type { ContainerSpec } from "./container-spec.ts";

export const POSTGRES_PORT = 5432;
export const POSTGRES_SUPERUSER = "postgres";

export function postgresContainer(options: { superuserPassword: string }): ContainerSpec {
  return {
    name: "postgres",
    image: POSTGRES_IMAGE,
    command: [],
    env: { POSTGRES_USER: POSTGRES_SUPERUSER, POSTGRES_PASSWORD: options.superuserPassword, POSTGRES_DB: "postgres" },
    // The engine picks the host port: the machine may run its own PostgreSQL on 5432.
    ports: [{ container: POSTGRES_PORT }],
    bindMounts: [],
    extraHosts: [],
    // Over TCP, as in docker-compose.yml: during first-start initialisation the
    // server listens on its Unix socket only, and a socket check passes too early.
    healthCheck: {
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", POSTGRES_SUPERUSER, "-d", "postgres"],
      intervalMs: 1_000,
      timeoutMs: 3_000,
      retries: 60,
      startPeriodMs: 2_000,
    },
    wait: { kind: "healthcheck" },
    startupTimeoutMs: 90_000,
    stopTimeoutMs: 10_000,
  };
}
