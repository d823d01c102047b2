// apps/cms/openapi.yaml against the code: every content-API route Strapi's core
// routers create is documented and nothing else is (besides the routes the
// integration test calls), each with the scope the policy (scope-rights.ts)
// really asks for, and the scopes are the realm's.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingScopes } from "../src/auth/clients/scope-rights";
import { documentedOperations, readOpenApiDocument } from "./support/openapi-document";

const apiDir = join(__dirname, "..", "src", "api");
const document = readOpenApiDocument();
const operations = documentedOperations(document);

/** Routes the cms adds outside the core routers (users-permissions, Shared Signals); apps/cms/test/openapi.integration.test.ts calls them. */
const NOT_CORE = ["GET /users/me", "POST /ssf/events", "GET /ssf/health"];

interface CoreRoute {
  key: string;
  action: string;
}

/** What `factories.createCoreRouter(uid)` makes for each content type (Strapi 5's core-api/routes). */
function coreRoutes(): CoreRoute[] {
  // Folders without routes (shared helpers) add none.
  return readdirSync(apiDir).flatMap((api) => {
    const routesDir = join(apiDir, api, "routes");
    if (!existsSync(routesDir)) return [];
    return readdirSync(routesDir).flatMap((file) => {
      const source = readFileSync(join(routesDir, file), "utf8");
      const uid = /createCoreRouter\("(api::[\w-]+\.([\w-]+))"/.exec(source);
      if (!uid) throw new Error(`${api}/routes/${file}: not a core router; document its routes and teach this test about them`);
      expect(source, `${file} narrows its routes (only/except): teach this test`).not.toMatch(/\b(only|except)\s*:/);
      const schema = JSON.parse(readFileSync(join(apiDir, api, "content-types", uid[2]!, "schema.json"), "utf8")) as { kind: string; info: { singularName: string; pluralName: string } };
      const action = (name: string) => `${uid[1]}.${name}`;
      if (schema.kind === "singleType") {
        const path = `/${schema.info.singularName}`;
        return [{ key: `GET ${path}`, action: action("find") }, { key: `PUT ${path}`, action: action("update") }, { key: `DELETE ${path}`, action: action("delete") }];
      }
      const list = `/${schema.info.pluralName}`;
      const one = `${list}/{documentId}`;
      return [
        { key: `GET ${list}`, action: action("find") },
        { key: `POST ${list}`, action: action("create") },
        { key: `GET ${one}`, action: action("findOne") },
        { key: `PUT ${one}`, action: action("update") },
        { key: `DELETE ${one}`, action: action("delete") },
      ];
    });
  });
}

describe("openapi.yaml", () => {
  const routes = coreRoutes();
  const documented = operations.map((operation) => `${operation.method} ${operation.path}`);

  it("documents every content route and no route the cms lacks", () => {
    expect(routes.map((route) => route.key)).toContain("POST /notes");
    expect(documented.toSorted()).toEqual([...routes.map((route) => route.key), ...NOT_CORE].toSorted());
  });

  it("names, for each content route, the scope the policy asks for", () => {
    for (const route of routes) {
      const operation = operations.find((candidate) => `${candidate.method} ${candidate.path}` === route.key)!;
      expect(operation.scope, route.key).toBe(missingScopes([route.action], [])[0]);
    }
  });

  it("documents the 401 challenge on every route a token guards, and 403 insufficient_scope where a scope is named", () => {
    for (const operation of operations.filter((candidate) => candidate.security.some((requirement) => "bearer" in requirement))) {
      expect(operation.responses, `${operation.method} ${operation.path}`).toContain("401");
      if (operation.scope) expect(operation.responses, `${operation.method} ${operation.path}`).toContain("403");
    }
  });

  it("lists the realm's API scopes in every OAuth flow, and only defined security schemes", () => {
    const realmScopes = (JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "keycloak", "api-client-scopes.json"), "utf8")) as { name: string; attributes: Record<string, string> }[])
      .filter((scope) => scope.attributes["include.in.token.scope"] === "true")
      .map((scope) => scope.name);
    const { securitySchemes } = document.components;
    for (const flow of Object.values(securitySchemes.keycloak?.flows ?? {})) expect(Object.keys(flow.scopes).toSorted()).toEqual(realmScopes.toSorted());
    expect(Object.keys(securitySchemes.keycloak?.flows ?? {}).toSorted()).toEqual(["authorizationCode", "clientCredentials", "deviceAuthorization"]);
    for (const operation of operations) {
      for (const requirement of operation.security) for (const name of Object.keys(requirement)) expect(securitySchemes, `${operation.method} ${operation.path}`).toHaveProperty(name);
    }
  });
});
