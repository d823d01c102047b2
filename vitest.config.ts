import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Three tiers, one config. stack/src/cli.ts runs `unit` first, then starts the
// stack once and runs `integration` and `flow` against it (their tests read the
// stack's URLs through packages/testkit/src/stack-env.ts).
const webSrc = fileURLToPath(new URL("./apps/web/src/", import.meta.url));
const emptyModule = fileURLToPath(new URL("./packages/testkit/src/empty-module.ts", import.meta.url));

const shared = {
  resolve: {
    alias: [
      { find: /^@\//, replacement: webSrc },
      // `server-only` throws outside React Server Components; unit tests import
      // server modules directly.
      { find: /^server-only$/, replacement: emptyModule },
    ],
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["apps/*/src/**/*.unit.test.ts", "apps/*/test/**/*.unit.test.ts", "stack/**/*.unit.test.ts", "packages/**/*.unit.test.ts", "bench/**/*.unit.test.ts"],
          environment: "node",
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["apps/*/test/**/*.integration.test.ts", "stack/**/*.integration.test.ts", "packages/**/*.integration.test.ts", "bench/**/*.integration.test.ts", "test/**/*.integration.test.ts"],
          environment: "node",
          pool: "forks",
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        ...shared,
        test: {
          name: "flow",
          include: ["test/e2e/**/*.flow.test.ts"],
          environment: "node",
          pool: "forks",
          maxWorkers: 1,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        ...shared,
        test: {
          name: "prod",
          include: ["apps/*/test/**/*.prod.test.ts", "stack/**/*.prod.test.ts", "packages/**/*.prod.test.ts", "bench/**/*.prod.test.ts", "test/**/*.prod.test.ts"],
          environment: "node",
          pool: "forks",
          maxWorkers: 1,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
