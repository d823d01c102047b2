// Turns a ContainerSpec into testcontainers' GenericContainer. Building it
// contacts no engine (that happens at start()), so the mapping is unit-tested.
import { GenericContainer, Wait, type WaitStrategy } from "testcontainers";
import type { ContainerSpec, WaitSpec } from "./container-spec.ts";

export function toGenericContainer(spec: ContainerSpec): GenericContainer {
  const container = new GenericContainer(spec.image)
    .withEnvironment(spec.env)
    .withExposedPorts(...spec.ports.map((port) => (port.host === undefined ? port.container : { container: port.container, host: port.host })))
    .withBindMounts(spec.bindMounts.map((mount) => ({ source: mount.source, target: mount.target, mode: mount.mode })))
    .withWaitStrategy(waitStrategy(spec.wait))
    .withStartupTimeout(spec.startupTimeoutMs)
    .withLabels({ "org.kc-next-strapi.part": spec.name });
  // An empty Cmd would replace the image's default command with nothing.
  if (spec.command.length > 0) container.withCommand(spec.command);
  if (spec.extraHosts.length > 0) container.withExtraHosts(spec.extraHosts.map((entry) => ({ ...entry })));
  if (spec.user) container.withUser(spec.user);
  if (spec.healthCheck) {
    const h = spec.healthCheck;
    container.withHealthCheck({ test: h.test, interval: h.intervalMs, timeout: h.timeoutMs, retries: h.retries, startPeriod: h.startPeriodMs });
  }
  return container;
}

function waitStrategy(wait: WaitSpec): WaitStrategy {
  switch (wait.kind) {
    case "http":
      return Wait.forHttp(wait.path, wait.port).forStatusCode(wait.status);
    case "healthcheck":
      return Wait.forHealthCheck();
  }
}
