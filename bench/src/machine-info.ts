// What the figures were measured on: a benchmark result without its machine
// and versions cannot be compared with anything.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { findJava } from "@stack/runner/keycloak/find-java";
import type { StackEnvInput } from "@stack/runner/stack-env-input";
import { pinnedKeycloakVersion } from "@stack/runner/keycloak/obtain-distribution";
import { repoRoot } from "@stack/runner/stack-config";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  java: string;
  keycloak: string;
  strapi: string;
  next: string;
  nextAuth: string;
  /** 1-minute load average when the bench started: other work on the machine skews the figures. */
  loadAverageAtStart: number;
}

export function machineInfo(input: StackEnvInput): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osName()} (Linux ${release()})`,
    node: process.versions.node,
    java: javaVersion(input),
    keycloak: pinnedKeycloakVersion(),
    strapi: packageVersion("@strapi/strapi", join(repoRoot, "apps", "cms")),
    next: packageVersion("next", join(repoRoot, "apps", "web")),
    nextAuth: packageVersion("next-auth", join(repoRoot, "apps", "web")),
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

function osName(): string {
  if (!existsSync("/etc/os-release")) return process.platform;
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
  return pretty?.[1] ?? process.platform;
}

function javaVersion(input: StackEnvInput): string {
  const java = findJava(input);
  if (!java) return "not found";
  const result = spawnSync(java.bin, ["-version"], { encoding: "utf8", timeout: 15_000 });
  const first = `${result.stderr}${result.stdout}`.split("\n").find((line) => line.includes("version"));
  return first?.trim() ?? `Java ${java.major}`;
}

function packageVersion(name: string, from: string): string {
  try {
    const require = createRequire(join(from, "package.json"));
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
