// Finds a Compose command that can validate docker-compose.yml without an
// engine (`config` only reads and interpolates the file): the Docker CLI's
// compose plugin, or the standalone `docker-compose` (Debian's package is v1,
// which reads the same file format).
import { spawnSync } from "node:child_process";

export interface ComposeCli {
  command: string;
  /** Arguments before Compose's own (`compose` for the plugin). */
  prefix: string[];
}

export interface ComposeRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function findComposeCli(): ComposeCli | undefined {
  for (const candidate of [
    { command: "docker", prefix: ["compose"] },
    { command: "docker-compose", prefix: [] },
  ]) {
    const probe = spawnSync(candidate.command, [...candidate.prefix, "version"], { encoding: "utf8", timeout: 30_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/**
 * `compose config` on one file, with exactly `env` for interpolation: the
 * caller's environment and any .env next to the file stay out (an empty
 * --env-file replaces the default .env).
 */
export function composeConfig(cli: ComposeCli, options: { file: string; emptyEnvFile: string; env: Record<string, string> }): ComposeRun {
  const result = spawnSync(cli.command, [...cli.prefix, "--env-file", options.emptyEnvFile, "-f", options.file, "config"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...options.env },
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}
