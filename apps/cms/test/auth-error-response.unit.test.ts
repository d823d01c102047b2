import { describe, expect, it } from "vitest";
import { AUTH_ERROR_CODES, AUTH_ERROR_MESSAGES } from "../src/auth/token/auth-error";
import { authErrorResponse } from "../src/auth/strapi/auth-error-response";

describe("authErrorResponse", () => {
  it("answers token problems with an RFC 6750 invalid_token challenge and the code in the body", () => {
    const response = authErrorResponse("token_expired", "cms");
    expect(response.status).toBe(401);
    expect(response.headers["WWW-Authenticate"]).toBe(
      `Bearer error="invalid_token", error_description="${AUTH_ERROR_MESSAGES.token_expired}"`,
    );
    expect(response.body).toEqual({
      data: null,
      error: { status: 401, name: "UnauthorizedError", code: "token_expired", message: AUTH_ERROR_MESSAGES.token_expired, details: {} },
    });
  });

  it("challenges a request without credentials without an error code (RFC 6750 §3.1)", () => {
    const response = authErrorResponse("missing_token", "cms");
    expect(response.status).toBe(401);
    expect(response.headers["WWW-Authenticate"]).toBe('Bearer realm="cms"');
  });

  it("answers 503 when Keycloak cannot be reached, so clients do not sign the user out", () => {
    for (const code of ["keys_unavailable", "revocation_check_unavailable"] as const) {
      const response = authErrorResponse(code, "cms");
      expect(response.status).toBe(503);
      expect(response.headers["WWW-Authenticate"]).toBeUndefined();
      expect(response.headers["Retry-After"]).toBe("5");
    }
  });

  it("uses messages that are valid quoted-strings (RFC 9110 §5.6.4)", () => {
    for (const code of AUTH_ERROR_CODES) expect(AUTH_ERROR_MESSAGES[code]).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
  });
});
