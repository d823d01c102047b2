// The Next.js app (apps/web): `next dev` for npm start, a production build
// (`next build` + `next start`) for the tests, where first-hit compilation in
// dev mode would make timings and RSC payloads unlike production.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { identityProvidersSetting } from "../keycloak/mock-identity-providers.ts";
import { SupervisedChild } from "../process/child-process.ts";
import { repoRoot, type StackConfig } from "../stack-config.ts";

const require = createRequire(import.meta.url);
export const webDir = join(repoRoot, "apps", "web");

export function nextBin(): string {
  return require.resolve("next/dist/bin/next", { paths: [webDir] });
}

export interface WebInstance {
  name: string;
  port: number;
}

/** One instance (`web`) in the embedded topology, `web-1`, `web-2`, ... behind the proxy otherwise. */
export function webInstances(config: StackConfig): WebInstance[] {
  if (!config.production) return [{ name: "web", port: config.ports.web }];
  return config.production.webInstancePorts.map((port, i) => ({ name: `web-${i + 1}`, port }));
}

export function webEnv(config: StackConfig): NodeJS.ProcessEnv {
  // Every instance shares the public origin (the proxy's), so sign-in started
  // on one instance can finish on another.
  const store: NodeJS.ProcessEnv = config.production
    ? { REDIS_URL: config.production.redisUrl, REDIS_KEY_PREFIX: config.production.redisKeyPrefix }
    : { SESSION_STORE_DIR: join(config.stateDir, "web-sessions") };
  return {
    WEB_URL: config.webUrl,
    AUTH_SECRET: config.secrets.authSecret,
    KEYCLOAK_ISSUER: config.issuer,
    KEYCLOAK_WEB_CLIENT_ID: "web",
    KEYCLOAK_WEB_CLIENT_SECRET: config.secrets.webClientSecret,
    CMS_URL: config.cmsUrl,
    // The overlay's mock Google and GitHub get sign-in and link buttons; production lists its real providers here.
    KEYCLOAK_IDENTITY_PROVIDERS: config.devOverlay ? identityProvidersSetting() : "",
    ...store,
    // `npm run bench` only; the web app refuses it unless WEB_URL is loopback.
    ...(config.benchRoutes ? { WEB_BENCH_ROUTES: "true" } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/** Builds the production bundle when the sources changed since the last build. */
export async function buildWebIfStale(config: StackConfig, say: (line: string) => void): Promise<void> {
  const stamp = sourceStamp();
  const stampFile = join(webDir, ".next", "stack-build-stamp");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  say("building the web app (next build) ...");
  const logFile = join(config.stateDir, "logs", "web-build.log");
  mkdirSync(join(config.stateDir, "logs"), { recursive: true });
  // Next refuses a second concurrent build of one folder (say `npm test` and
  // `npm run test:prod` started together); wait for the other build and retry.
  for (let attempt = 1; ; attempt++) {
    const code = await runNextBuild(config, logFile);
    if (code === 0) break;
    const output = readFileSync(logFile, "utf8");
    if (attempt < 10 && output.includes("Another next build process is already running")) {
      say("  another next build of apps/web is running; waiting for it ...");
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
      continue;
    }
    const tail = output.trimEnd().split("\n").slice(-40).join("\n");
    throw new Error(`next build failed (exit ${code}):\n${tail}`);
  }
  writeFileSync(stampFile, stamp);
}

function runNextBuild(config: StackConfig, logFile: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [nextBin(), "build"], {
      cwd: webDir,
      env: { ...config.input.inherited, ...webEnv(config), NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("exit", (status) => {
      writeFileSync(logFile, Buffer.concat(chunks));
      resolve(status ?? 1);
    });
  });
}

export function startWeb(config: StackConfig, instance: WebInstance): SupervisedChild {
  const command = config.webMode === "dev" ? "dev" : "start";
  return new SupervisedChild({
    name: instance.name,
    command: process.execPath,
    // Next listens on every interface unless told a host.
    args: [nextBin(), command, "-H", config.bindHost, "-p", String(instance.port)],
    cwd: webDir,
    env: { ...config.input.inherited, ...webEnv(config), NODE_ENV: config.webMode === "dev" ? "development" : "production" },
    logFile: join(config.stateDir, "logs", `${instance.name}.log`),
  });
}

export function webHealthUrl(port: number): string {
  return `http://localhost:${port}/api/health`;
}

function sourceStamp(): string {
  const hash = createHash("sha256");
  hash.update(process.versions.node);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === "node_modules" || entry === ".next" || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(webDir);
  return hash.digest("hex");
}
