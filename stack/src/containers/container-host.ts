// How a container reaches this machine. Containers started by the test harness
// talk to the other parts the way native processes do, through ports on this
// machine (published container ports, or native web/cms processes), so one
// address works whichever part runs where. `host-gateway` makes the name
// resolve on Linux engines too (Docker Desktop defines it anyway).

export const HOST_FROM_CONTAINER = "host.docker.internal";

export const HOST_GATEWAY_ENTRY = { host: HOST_FROM_CONTAINER, ipAddress: "host-gateway" } as const;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A URL on this machine as a container sees it: loopback host names become the host gateway. */
export function urlFromContainer(url: string): string {
  const parsed = new URL(url);
  if (!LOOPBACK.has(parsed.hostname)) return url;
  parsed.hostname = HOST_FROM_CONTAINER;
  // URL keeps a trailing "/" on bare origins; the callers pass bare origins.
  return url.endsWith("/") ? parsed.href : parsed.href.replace(/\/$/, "");
}

/** A host name of this machine as a container sees it. */
export function hostFromContainer(host: string): string {
  return LOOPBACK.has(host) || host === "::1" ? HOST_FROM_CONTAINER : host;
}
