// The repository's OpenAPI document (apps/cms/openapi.yaml), read for the tests
// that keep it true: its operations, each with the scope it documents.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

type SecurityRequirement = Record<string, string[]>;

interface Operation {
  security?: SecurityRequirement[];
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  openapi: string;
  security: SecurityRequirement[];
  components: { securitySchemes: Record<string, { type: string; flows?: Record<string, { scopes: Record<string, string> }> }> };
  paths: Record<string, Record<string, Operation | unknown>>;
}

export interface DocumentedOperation {
  method: string;
  /** The path under the API prefix, `{documentId}` style. */
  path: string;
  /** The OAuth scope the operation names (undefined: none). */
  scope: string | undefined;
  /** Whether a request without credentials is served (security lists `{}`). */
  anonymous: boolean;
  responses: string[];
  security: SecurityRequirement[];
}

const METHODS = ["get", "put", "post", "delete", "patch"];

export function readOpenApiDocument(): OpenApiDocument {
  return parse(readFileSync(join(__dirname, "..", "..", "openapi.yaml"), "utf8")) as OpenApiDocument;
}

export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, value]) => {
        const operation = value as Operation;
        const security = operation.security ?? document.security;
        const scopes = new Set(security.flatMap((requirement) => Object.values(requirement).flat()));
        if (scopes.size > 1) throw new Error(`${method} ${path} documents more than one scope`);
        return {
          method: method.toUpperCase(),
          path,
          scope: [...scopes][0],
          anonymous: security.some((requirement) => Object.keys(requirement).length === 0),
          responses: Object.keys(operation.responses),
          security,
        };
      }),
  );
}
