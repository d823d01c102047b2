/** Why a call to Strapi failed. Session problems never surface here: they end the session instead. */
export type CmsErrorCode =
  /** Strapi could not be reached, timed out, or answered 5xx. */
  | "cms_unavailable"
  /**
   * 503 from Strapi because it cannot reach Keycloak to check the token
   * (`keys_unavailable`, `revocation_check_unavailable`): the sign-in service
   * is down, the session itself is fine.
   */
  | "cms_sign_in_unavailable"
  | "cms_not_found"
  /** 403: signed in, but not allowed (e.g. an article edit without the editor role). */
  | "cms_forbidden"
  /** 400: Strapi refused the input (validation). */
  | "cms_bad_request"
  /** 2xx with a body that is not what the contract says. */
  | "cms_invalid_response";

export class CmsError extends Error {
  constructor(
    readonly code: CmsErrorCode,
    readonly status?: number,
  ) {
    super(code);
    this.name = "CmsError";
  }
}

// apps/cms/src/auth/token/auth-error.ts: the 503 codes of the Keycloak strategy.
const SIGN_IN_UNAVAILABLE_CODES = new Set(["keys_unavailable", "revocation_check_unavailable"]);

/** `apiCode` is Strapi's `error.code` from the body, when there is one. */
export function cmsErrorForStatus(status: number, apiCode?: unknown): CmsError {
  if (status === 503 && typeof apiCode === "string" && SIGN_IN_UNAVAILABLE_CODES.has(apiCode)) {
    return new CmsError("cms_sign_in_unavailable", status);
  }
  if (status === 404) return new CmsError("cms_not_found", status);
  if (status === 403) return new CmsError("cms_forbidden", status);
  if (status === 400) return new CmsError("cms_bad_request", status);
  return new CmsError("cms_unavailable", status);
}
