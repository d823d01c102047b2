// The API-clients block of the CMS config (cms-config.ts calls this; kept apart
// from the Keycloak settings): the client table the API applies and the DPoP
// proof settings. KEYCLOAK_ALLOWED_AZP may narrow the table to some of its
// clients; naming a client the table does not describe is an error, since the
// API would not know whether it needs a session, DPoP or scopes.
import { API_CLIENT_TABLE, type ApiClientPolicy } from "./client-table";
import type { DpopPolicy } from "../dpop/verify-dpop-proof";

export interface ApiClientsConfig {
  table: readonly ApiClientPolicy[];
  dpop: DpopPolicy;
}

// RFC 9449 §4.2: asymmetric algorithms only; the proof's key is in its header.
const DPOP_ALGORITHMS = new Set(["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA", "Ed25519"]);

export function readApiClients(
  read: (name: string) => string | undefined,
  list: (name: string, fallback: readonly string[]) => string[],
  integer: (name: string, fallback: number, min: number, max: number) => number,
  errors: string[],
): ApiClientsConfig {
  const allowed = list("KEYCLOAK_ALLOWED_AZP", API_CLIENT_TABLE.map((client) => client.clientId));
  const unknown = allowed.filter((clientId) => !API_CLIENT_TABLE.some((client) => client.clientId === clientId));
  if (unknown.length > 0) {
    errors.push(
      `KEYCLOAK_ALLOWED_AZP names clients the API client table does not describe: ${unknown.join(", ")} (table: ${API_CLIENT_TABLE.map((c) => c.clientId).join(", ")}; apps/cms/src/auth/clients/client-table.ts).`,
    );
  }
  const algorithms = list("CMS_DPOP_ALGS", ["ES256", "PS256", "RS256", "EdDSA"]);
  const bad = algorithms.filter((alg) => !DPOP_ALGORITHMS.has(alg));
  if (bad.length > 0) errors.push(`CMS_DPOP_ALGS may only list asymmetric JWS algorithms (${[...DPOP_ALGORITHMS].join(", ")}); rejected: ${bad.join(", ")}.`);
  if (algorithms.length === 0) errors.push("CMS_DPOP_ALGS must list at least one algorithm.");
  void read;
  return {
    table: API_CLIENT_TABLE.filter((client) => allowed.includes(client.clientId)),
    dpop: {
      algorithms,
      maxAgeSeconds: integer("CMS_DPOP_MAX_AGE_SECONDS", 60, 5, 300),
      leewaySeconds: integer("CMS_DPOP_CLOCK_LEEWAY_SECONDS", 5, 0, 60),
      maxProofBytes: 8192,
    },
  };
}
