// The mapping onto testcontainers is read back from the GenericContainer's
// create options: building one contacts no engine.
import { describe, expect, it } from "vitest";
import type { GenericContainer } from "testcontainers";
import type { ContainerSpec } from "./container-spec.ts";
import { toGenericContainer } from "./to-generic-container.ts";

interface Internals {
  imageName: { string: string };
  createOpts: { Cmd?: string[]; Env?: string[]; User?: string; Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number }; Labels?: Record<string, string> };
  hostConfig: { PortBindings?: Record<string, { HostPort: string }[]>; Binds?: string[]; ExtraHosts?: string[] };
  waitStrategy: { constructor: { name: string }; path?: string; port?: number };
  startupTimeoutMs?: number;
}
const internals = (container: GenericContainer) => container as unknown as Internals;

const base: ContainerSpec = {
  name: "keycloak",
  image: "keycloak/keycloak:1.2.3",
  command: ["start-dev", "--http-port=18080"],
  env: { A: "1", B: "two" },
  ports: [{ container: 18080, host: 18080 }, { container: 5432 }],
  bindMounts: [{ source: "/state/h2", target: "/opt/keycloak/data/h2", mode: "rw" }, { source: "/repo/realm.json", target: "/import/realm.json", mode: "ro" }],
  extraHosts: [{ host: "host.docker.internal", ipAddress: "host-gateway" }],
  user: "1000:0",
  wait: { kind: "http", path: "/health/ready", port: 19000, status: 200 },
  startupTimeoutMs: 240_000,
  stopTimeoutMs: 15_000,
};

describe("toGenericContainer", () => {
  it("carries image, command, environment, user and a label naming the part", () => {
    const c = internals(toGenericContainer(base));
    expect(c.imageName.string).toBe("keycloak/keycloak:1.2.3");
    expect(c.createOpts.Cmd).toEqual(["start-dev", "--http-port=18080"]);
    expect(c.createOpts.Env).toEqual(["A=1", "B=two"]);
    expect(c.createOpts.User).toBe("1000:0");
    expect(c.createOpts.Labels).toMatchObject({ "org.kc-next-strapi.part": "keycloak" });
  });

  it("binds fixed ports one to one and lets the engine pick the others", () => {
    const c = internals(toGenericContainer(base));
    expect(c.hostConfig.PortBindings).toEqual({ "18080/tcp": [{ HostPort: "18080" }], "5432/tcp": [{ HostPort: "0" }] });
  });

  it("mounts with the spec's modes and adds the host gateway", () => {
    const c = internals(toGenericContainer(base));
    expect(c.hostConfig.Binds).toEqual(["/state/h2:/opt/keycloak/data/h2:rw", "/repo/realm.json:/import/realm.json:ro"]);
    expect(c.hostConfig.ExtraHosts).toEqual(["host.docker.internal:host-gateway"]);
  });

  it("waits over HTTP on the given container port, within the startup budget", () => {
    const c = internals(toGenericContainer(base));
    expect(c.waitStrategy.constructor.name).toBe("HttpWaitStrategy");
    expect(c.waitStrategy).toMatchObject({ path: "/health/ready", port: 19000 });
    expect(c.startupTimeoutMs).toBe(240_000);
  });

  it("keeps the image's own command when the spec has none, and waits on a health check in nanoseconds", () => {
    const c = internals(
      toGenericContainer({
        ...base,
        command: [],
        user: undefined,
        extraHosts: [],
        healthCheck: { test: ["CMD", "redis-cli", "ping"], intervalMs: 1_000, timeoutMs: 3_000, retries: 30, startPeriodMs: 500 },
        wait: { kind: "healthcheck" },
      }),
    );
    expect(c.createOpts.Cmd).toBeUndefined();
    expect(c.createOpts.User).toBeUndefined();
    expect(c.hostConfig.ExtraHosts).toBeUndefined();
    expect(c.createOpts.Healthcheck).toEqual({ Test: ["CMD", "redis-cli", "ping"], Interval: 1e9, Timeout: 3e9, Retries: 30, StartPeriod: 5e8 });
    expect(c.waitStrategy.constructor.name).toBe("HealthCheckWaitStrategy");
  });
});
