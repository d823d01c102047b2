// Redis for the production topology when the harness runs containers: the web
// instances' shared token store, refresh locks and successor records. Throw-away
// per stack, so nothing is persisted.
import { REDIS_IMAGE } from "./container-images.ts";
import type { ContainerSpec } from "./container-spec.ts";

export const REDIS_PORT = 6379;

export function redisContainer(): ContainerSpec {
  return {
    name: "redis",
    image: REDIS_IMAGE,
    command: ["redis-server", "--save", "", "--appendonly", "no"],
    env: {},
    ports: [{ container: REDIS_PORT }],
    bindMounts: [],
    extraHosts: [],
    healthCheck: { test: ["CMD", "redis-cli", "ping"], intervalMs: 1_000, timeoutMs: 3_000, retries: 30, startPeriodMs: 1_000 },
    wait: { kind: "healthcheck" },
    startupTimeoutMs: 60_000,
    stopTimeoutMs: 5_000,
  };
}
