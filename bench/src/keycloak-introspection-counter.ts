// Token introspections counted at Keycloak, two ways that must agree:
//   events   Keycloak's own INTROSPECT_TOKEN / INTROSPECT_TOKEN_ERROR events
//            (stored once storeIntrospectionEvents() is on), by time window and
//            calling client;
//   metrics  the bench Keycloak's Micrometer counter of HTTP requests to the
//            introspection endpoint (`--metrics-enabled=true`, bench profile
//            only: stack/src/keycloak/keycloak-server.ts), read from /metrics on
//            the management port before and after a window.
// Neither is an estimate from the API side: both are what Keycloak served.
import type { RealmAdmin } from "@stack/testkit/realm-admin";
import type { StackConfig } from "@stack/runner/stack-config";

const INTROSPECTION_EVENTS = ["INTROSPECT_TOKEN", "INTROSPECT_TOKEN_ERROR"] as const;
const PAGE = 5_000;

/** Introspections by `clientId` whose event time lies in [from, to] (epoch ms), as Keycloak recorded them. */
export async function countIntrospectionEvents(admin: RealmAdmin, realm: string, clientId: string, from: number, to: number): Promise<number> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  let count = 0;
  // Newest first; stop once a page reaches back past `from`.
  for (let first = 0; ; first += PAGE) {
    const events = await admin.client.realms.findEvents({ realm, client: clientId, type: [...INTROSPECTION_EVENTS], dateFrom: day(from), first, max: PAGE });
    for (const event of events) {
      const time = event.time ?? 0;
      if (time >= from && time <= to) count++;
    }
    if (events.length < PAGE || (events.at(-1)?.time ?? 0) < from) return count;
  }
}

/**
 * Requests Keycloak's HTTP server answered on its introspection endpoint so
 * far (every status), from the management port's /metrics; undefined when the
 * server exposes no HTTP request metrics.
 */
export async function introspectionRequestsServed(config: StackConfig): Promise<number | undefined> {
  const response = await fetch(`http://localhost:${config.ports.keycloakManagement}/metrics`).catch(() => undefined);
  if (!response?.ok) return undefined;
  return sumIntrospectionCounters(await response.text());
}

/**
 * Sums the `http_server_requests_seconds_count` series whose `uri` is the token
 * introspection endpoint: 0 when HTTP server metrics are there but no
 * introspection was served yet, undefined when there are no such metrics.
 */
export function sumIntrospectionCounters(metrics: string): number | undefined {
  let total: number | undefined;
  for (const line of metrics.split("\n")) {
    if (!line.startsWith("http_server_requests_seconds_count{")) continue;
    total ??= 0;
    const uri = /uri="([^"]*)"/.exec(line)?.[1] ?? "";
    if (!uri.endsWith("/token/introspect")) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}
