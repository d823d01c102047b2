import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../stack-config.ts";
import { POSTGRES_PORT, postgresContainer } from "./postgres-container.ts";
import { REDIS_PORT, redisContainer } from "./redis-container.ts";

const compose = readFileSync(join(repoRoot, "docker-compose.yml"), "utf8");

describe("PostgreSQL container", () => {
  const spec = postgresContainer({ superuserPassword: "s3cret" });

  it("runs the image docker-compose.yml runs, on a port the engine picks", () => {
    expect(compose).toContain(`image: ${spec.image}\n`);
    expect(spec.ports).toEqual([{ container: POSTGRES_PORT }]);
  });

  it("is ready only when it accepts TCP connections (not during first-start initialisation)", () => {
    expect(spec.wait).toEqual({ kind: "healthcheck" });
    expect(spec.healthCheck?.test).toEqual(["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"]);
    expect(spec.env).toMatchObject({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "s3cret" });
    expect(spec.command).toEqual([]);
  });
});

describe("Redis container", () => {
  const spec = redisContainer();

  it("runs the image docker-compose.yml runs, on a port the engine picks, without persistence", () => {
    expect(compose).toContain(`image: ${spec.image}\n`);
    expect(spec.ports).toEqual([{ container: REDIS_PORT }]);
    expect(spec.command).toEqual(["redis-server", "--save", "", "--appendonly", "no"]);
  });

  it("is ready when it answers PING", () => {
    expect(spec.wait).toEqual({ kind: "healthcheck" });
    expect(spec.healthCheck?.test).toEqual(["CMD", "redis-cli", "ping"]);
  });
});
