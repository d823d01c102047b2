// The per-client rules of client-table.ts, applied to a verified token: is the
// client in the table, does it need a session id, how must the token be
// presented (Bearer or DPoP with a valid proof), and which of the route's
// actions its scopes open. Called by the Keycloak strategy after the token's
// signature and claims passed. Throws AuthError.
import { AuthError } from "../token/auth-error";
import type { AccessTokenClaims } from "@stack/keycloak-tokens";
import { verifyDpopProof, type DpopPolicy, type DpopReplayStore } from "../dpop/verify-dpop-proof";
import { policyFor, type ApiClientPolicy } from "./client-table";
import { limitByScopes, missingScopes } from "./scope-rights";

export interface ClientGateDeps {
  table: readonly ApiClientPolicy[];
  dpop: DpopPolicy;
  replay: DpopReplayStore;
  /** The API's base URL as clients call it (CMS_PUBLIC_URL, no trailing slash); unset: the URL Strapi sees. */
  publicUrl?: string;
}

export interface PresentedToken {
  scheme: "Bearer" | "DPoP";
  token: string;
  claims: AccessTokenClaims;
}

export interface GateRequest {
  method: string;
  /** Scheme and host as Strapi sees them; a DPoP proof's htu names them unless the API has a public URL. */
  origin: string;
  /** The request's path, without query; with the origin or the public URL, what a DPoP proof's htu names. */
  path: string;
  dpopHeader: string | string[] | undefined;
  /** The route's content-API actions (`api::note.note.find`). */
  actions: readonly string[];
}

/** Where the strategy leaves the scopes a refused request lacked, for the 403 challenge. */
export const MISSING_SCOPE_STATE = "keycloakMissingScope";

export function createClientGate(deps: ClientGateDeps) {
  return {
    async admit(presented: PresentedToken, request: GateRequest, nowMs: number): Promise<ApiClientPolicy> {
      const { claims } = presented;
      const policy = policyFor(deps.table, claims.azp);
      if (!policy) throw new AuthError("invalid_authorized_party");
      if (policy.sessionRequired && claims.sid === undefined) throw new AuthError("session_required");

      if (presented.scheme === "Bearer") {
        // RFC 9449 §7.1: a bound token is useless without its key, so never as Bearer.
        if (claims.jkt !== undefined) throw new AuthError("dpop_bound_token_as_bearer");
        if (policy.dpop === "required") throw new AuthError("dpop_required");
      } else {
        if (claims.jkt === undefined) throw new AuthError("dpop_token_not_bound");
        await verifyDpopProof(
          { proofHeader: request.dpopHeader, method: request.method, url: `${deps.publicUrl ?? request.origin}${request.path}`, accessToken: presented.token, jkt: claims.jkt },
          deps.dpop,
          deps.replay,
          nowMs,
        );
      }
      return policy;
    },

    /**
     * The scopes the token lacks for the route's actions that its role allows (empty for a client the
     * table does not scope-limit; an action the role lacks is the role's 403, not a scope's).
     */
    missingScopes(policy: ApiClientPolicy, claims: AccessTokenClaims, actions: readonly string[], role: { can(action: string): boolean }): string[] {
      return policy.scopeLimited ? missingScopes(actions.filter((action) => role.can(action)), claims.scopes) : [];
    },

    limit<A extends { can(action: string): boolean }>(policy: ApiClientPolicy, claims: AccessTokenClaims, ability: A): { can(action: string): boolean } {
      return policy.scopeLimited ? limitByScopes(ability, claims.scopes) : ability;
    },
  };
}

export type ClientGate = ReturnType<typeof createClientGate>;
