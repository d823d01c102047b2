// A container described as plain data: what the testcontainers runtime starts
// (stack/src/containers/to-generic-container.ts) and what the unit tests read
// without a Docker engine. Everything a definition decides is in here; nothing
// is decided later by the code that starts it.

/** How to tell that the container is ready (testcontainers' wait strategies). */
export type WaitSpec =
  /** An HTTP GET on a container port answers `status`. */
  | { kind: "http"; path: string; port: number; status: number }
  /** The image's own HEALTHCHECK, or `healthCheck` below, reports healthy. */
  | { kind: "healthcheck" };

export interface PortBinding {
  container: number;
  /** Omitted: the engine picks a free host port (read it after start). */
  host?: number;
}

export interface BindMountSpec {
  source: string;
  target: string;
  mode: "ro" | "rw";
}

export interface HealthCheckSpec {
  test: ["CMD", ...string[]];
  /** Milliseconds. */
  intervalMs: number;
  /** Milliseconds. */
  timeoutMs: number;
  retries: number;
  /** Milliseconds. */
  startPeriodMs: number;
}

/** An image built from a Dockerfile of the repository before the container starts. */
export interface ImageBuildSpec {
  /** Absolute path of the build context. */
  context: string;
  /** The Dockerfile, relative to the context. */
  dockerfile: string;
  /** Docker build arguments (ARG). */
  args: Record<string, string>;
}

export interface ContainerSpec {
  /** The part's name (keycloak, mail, postgres, redis); also the log file's name. */
  name: string;
  /** Docker Hub short name and tag, never a registry host name; with `build`, the local tag the build gets. */
  image: string;
  /**
   * Build `image` first (every start: the engine's layer cache makes an
   * unchanged build quick, and a changed source is never missed).
   */
  build?: ImageBuildSpec;
  /** Arguments to the image's entrypoint (Docker's CMD). */
  command: string[];
  env: Record<string, string>;
  ports: PortBinding[];
  bindMounts: BindMountSpec[];
  /** `host:address` entries; `host-gateway` is the engine's address of the host. */
  extraHosts: { host: string; ipAddress: string }[];
  /** `uid:gid` to run as; omitted: the image's user. */
  user?: string;
  healthCheck?: HealthCheckSpec;
  wait: WaitSpec;
  /** Milliseconds the wait strategy may take, pulling excluded. */
  startupTimeoutMs: number;
  /** Milliseconds between SIGTERM and SIGKILL when the container is stopped. */
  stopTimeoutMs: number;
}
