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
  /**
   * The API's base URL as clients call it, without a trailing slash (CMS_PUBLIC_URL), e.g.
   * `https://api.example.com` behind a TLS-terminating proxy. A DPoP proof's htu is compared with it
   * plus the request's path; unset, with the URL Strapi itself sees.
   */
  publicUrl: string | undefined;
}

// RFC 9449 §4.2: asymmetric algorithms only; the proof's key is in its header.
const DPOP_ALGORITHMS = new Set(["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA", "Ed25519"]);

/** The block's variables, already parsed by cms-config.ts's schema. */
interface ApiClientsSettings {
  allowedAzp: readonly string[];
  dpopAlgorithms: readonly string[];
  dpopMaxAgeSeconds: number;
  dpopLeewaySeconds: number;
  publicUrl: string | undefined;
}

export function readApiClients(settings: ApiClientsSettings, errors: string[]): ApiClientsConfig {
  const allowed = settings.allowedAzp;
  const unknown = allowed.filter((clientId) => !API_CLIENT_TABLE.some((client) => client.clientId === clientId));
  if (unknown.length > 0) {
    errors.push(
      `KEYCLOAK_ALLOWED_AZP names clients the API client table does not describe: ${unknown.join(", ")} (table: ${API_CLIENT_TABLE.map((c) => c.clientId).join(", ")}; apps/cms/src/auth/clients/client-table.ts).`,
    );
  }
  const algorithms = [...settings.dpopAlgorithms];
  const bad = algorithms.filter((alg) => !DPOP_ALGORITHMS.has(alg));
  if (bad.length > 0) errors.push(`CMS_DPOP_ALGS may only list asymmetric JWS algorithms (${[...DPOP_ALGORITHMS].join(", ")}); rejected: ${bad.join(", ")}.`);
  if (algorithms.length === 0) errors.push("CMS_DPOP_ALGS must list at least one algorithm.");
  return {
    publicUrl: readPublicUrl(settings.publicUrl, errors),
    table: API_CLIENT_TABLE.filter((client) => allowed.includes(client.clientId)),
    dpop: {
      algorithms,
      maxAgeSeconds: settings.dpopMaxAgeSeconds,
      leewaySeconds: settings.dpopLeewaySeconds,
      maxProofBytes: 8192,
    },
  };
}

function readPublicUrl(raw: string | undefined, errors: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    errors.push(`CMS_PUBLIC_URL must be an absolute http(s) URL without query, fragment or credentials, as clients call the API (got "${raw}").`);
    return undefined;
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
