import { describe, expect, it } from "vitest";
import { sumIntrospectionCounters } from "./keycloak-introspection-counter.ts";

describe("sumIntrospectionCounters", () => {
  const line = (uri: string, status: string, value: string) =>
    `http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="${status}",uri="${uri}"} ${value}`;

  it("adds every series of the introspection endpoint, whatever its status, and nothing else", () => {
    const metrics = [
      "# TYPE http_server_requests_seconds summary",
      line("/realms/{realm}/protocol/{protocol}/token/introspect", "200", "12.0"),
      line("/realms/{realm}/protocol/{protocol}/token/introspect", "401", "3.0"),
      line("/realms/{realm}/protocol/{protocol}/token", "200", "40.0"),
      'http_server_requests_seconds_sum{method="POST",uri="/realms/{realm}/protocol/{protocol}/token/introspect"} 0.5',
    ].join("\n");
    expect(sumIntrospectionCounters(metrics)).toBe(15);
  });

  it("says 0 when HTTP metrics exist but no introspection was served, and undefined without HTTP metrics", () => {
    expect(sumIntrospectionCounters(line("/realms/{realm}/protocol/{protocol}/token", "200", "4.0"))).toBe(0);
    expect(sumIntrospectionCounters('jvm_threads_live_threads{area="x"} 40.0')).toBeUndefined();
  });
});
