// A second Strapi next to the test stack's, for drills that need to change
// what one instance sees (where it reaches Keycloak, its JWKS cache age)
// without disturbing the stack. Same secrets and Keycloak clients as the
// stack's Strapi (its state folder's secrets.json), its own SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { cmsDir, cmsEnv, cmsHealthUrl } from "@stack/runner/parts/cms-server";
import { SupervisedChild } from "@stack/runner/process/child-process";
import { waitForHttp } from "@stack/runner/process/wait-for-http";
import { loadStackConfig } from "@stack/runner/stack-config";
import { testEnvironment } from "@stack/testkit/stack-env";

export interface ExtraCms {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function startExtraCms(name: string, overrides: Record<string, string>): Promise<ExtraCms> {
  // STACK_STATE_DIR (set by the test runner) makes this the running stack's config.
  const config = loadStackConfig("test", testEnvironment());
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const logFile = join(config.stateDir, "logs", `${name}.log`);
  const child = new SupervisedChild({
    name,
    command: process.execPath,
    args: [join(cmsDir, "bin", "serve.mjs")],
    cwd: cmsDir,
    // Keycloak keeps one Shared Signals stream per receiver client; an extra
    // Strapi that registered its own would take the running stack's away.
    env: { ...config.input.inherited, ...cmsEnv(config, port), DATABASE_FILENAME: join(dataDir, "data.db"), KEYCLOAK_REVOCATION: "introspection", ...overrides },
    logFile,
  });
  const stop = async () => {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp({ url: cmsHealthUrl(port), accept: (status) => status === 204 || status === 200, timeoutMs: 180_000, child });
  } catch (error) {
    await stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n${child.tail(30)}`);
  }
  return { url: `http://localhost:${port}`, logFile, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
