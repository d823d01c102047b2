// The production-mode suite's own Redis (`npm run test:prod`): a redis-server
// with persistence (append-only file, fsync on every write) in the stack's
// state folder, on loopback, so a drill can kill and restart it and the web
// app's sessions must survive (test/drills/redis-restart.prod.test.ts). The
// machine's shared Redis is never restarted. `npm run start:prod` keeps using
// STACK_REDIS_URL (decision 0101).
import { existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";

export function findRedisServer(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const dirs = [...(env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/bin", "/usr/local/bin", "/usr/sbin"];
  return dirs.map((dir) => join(dir, "redis-server")).find((file) => existsSync(file));
}

export const MISSING_REDIS_SERVER_MESSAGE =
  "redis-server not found on PATH: npm run test:prod runs its own Redis (with persistence, restarted by a drill). " +
  "Install it (`apt-get install redis-server` on Debian or Ubuntu, `brew install redis` on macOS).";

export function startRedisServer(config: StackConfig, binary: string, port: number): SupervisedChild {
  const dir = join(config.stateDir, "redis");
  mkdirSync(dir, { recursive: true });
  return new SupervisedChild({
    name: "redis",
    command: binary,
    args: [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--protected-mode", "yes",
      "--dir", dir,
      // Every write on disk before it is acknowledged: a kill -9 loses nothing.
      "--appendonly", "yes",
      "--appendfsync", "always",
      "--save", "",
    ],
    cwd: dir,
    env: { PATH: config.input.inherited.PATH ?? "" },
    logFile: join(config.stateDir, "logs", "redis.log"),
    stopGraceMs: 10_000,
  });
}

/** Resolves once Redis answers PING with PONG. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, timeout: 2_000 });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
