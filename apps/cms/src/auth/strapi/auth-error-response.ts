// HTTP status, headers and body for each AuthErrorCode: the only place that maps
// codes to HTTP. RFC 6750 §3: token problems are 401 with
// `WWW-Authenticate: Bearer error="invalid_token"`; a request without credentials
// gets the challenge without an error code (§3.1). When Keycloak itself cannot be
// reached the token may be fine, so the answer is 503: a client must not treat it
// as a dead session and sign the user out.
import { AUTH_ERROR_MESSAGES, type AuthErrorCode } from "../token/auth-error";

export interface AuthErrorResponse {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: {
    data: null;
    error: { status: number; name: string; code: AuthErrorCode; message: string; details: Record<string, never> };
  };
}

const UNAVAILABLE: ReadonlySet<AuthErrorCode> = new Set(["keys_unavailable", "revocation_check_unavailable"]);

const DPOP_PROOF: ReadonlySet<AuthErrorCode> = new Set(["dpop_proof_missing", "dpop_proof_invalid", "dpop_key_mismatch", "dpop_proof_replayed"]);

/** `missingScope`: the space-separated scopes an insufficient_scope refusal names (RFC 6750 §3.1). */
export function authErrorResponse(code: AuthErrorCode, realm: string, missingScope = ""): AuthErrorResponse {
  const message = AUTH_ERROR_MESSAGES[code];
  if (code === "insufficient_scope") {
    return {
      status: 403,
      headers: { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${missingScope}"`, "Cache-Control": "no-store" },
      body: { data: null, error: { status: 403, name: "ForbiddenError", code, message, details: {} } },
    };
  }
  if (DPOP_PROOF.has(code)) {
    // RFC 9449 §7.1: a proof problem is answered in the DPoP scheme.
    return {
      status: 401,
      headers: { "WWW-Authenticate": `DPoP error="invalid_dpop_proof", error_description="${message}"`, "Cache-Control": "no-store" },
      body: { data: null, error: { status: 401, name: "UnauthorizedError", code, message, details: {} } },
    };
  }
  if (UNAVAILABLE.has(code)) {
    return {
      status: 503,
      headers: { "Retry-After": "5", "Cache-Control": "no-store" },
      body: { data: null, error: { status: 503, name: "ServiceUnavailableError", code, message, details: {} } },
    };
  }
  const challenge =
    code === "missing_token"
      ? `Bearer realm="${realm}"`
      : `Bearer error="invalid_token", error_description="${message}"`;
  return {
    status: 401,
    headers: { "WWW-Authenticate": challenge, "Cache-Control": "no-store" },
    body: { data: null, error: { status: 401, name: "UnauthorizedError", code, message, details: {} } },
  };
}
