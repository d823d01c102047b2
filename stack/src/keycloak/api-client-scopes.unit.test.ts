import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiClientScopesError, readApiClientScopes, wantedAssignments } from "./api-client-scopes.ts";
import { realmFile } from "./keycloak-server.ts";

describe("API client scopes", () => {
  const scopes = readApiClientScopes();

  it("the shipped scope file has the audience scope (cms in aud, for introspection too) and the three rights", () => {
    expect(scopes.map((scope) => scope.name)).toEqual(["cms-audience", "notes:read", "notes:write", "articles:write"]);
    const audience = scopes[0]!.protocolMappers![0]!;
    expect(audience.protocolMapper).toBe("oidc-audience-mapper");
    expect(audience.config).toMatchObject({ "included.client.audience": "cms", "access.token.claim": "true", "introspection.token.claim": "true" });
  });

  it("gives the audience to mobile, cli and publisher; rights are optional for people's clients, articles:write default for the publisher", () => {
    const wanted = wantedAssignments(readFileSync(realmFile, "utf8"), scopes).map((a) => `${a.clientId} ${a.scope} ${a.kind}`);
    expect(wanted).toEqual([
      "mobile cms-audience default",
      "mobile notes:read optional",
      "mobile notes:write optional",
      "mobile articles:write optional",
      "cli cms-audience default",
      "cli notes:read optional",
      "cli notes:write optional",
      "cli articles:write optional",
      "publisher cms-audience default",
      "publisher articles:write default",
    ]);
  });

  it("refuses a scope file that is not a list of named scopes", () => {
    expect(() => readApiClientScopes("{}")).toThrow(ApiClientScopesError);
    expect(() => readApiClientScopes('[{"protocol":"openid-connect"}]')).toThrow(/name and a protocol/);
  });
});
