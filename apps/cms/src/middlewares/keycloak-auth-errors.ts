// When the Keycloak strategy refuses a request, Strapi writes its generic 401
// body. This rewrites it into the RFC 6750 answer (status, WWW-Authenticate) with
// the stable code from the strategy. Registered in config/middlewares.ts.
import type { Core } from "@strapi/strapi";
import { isAuthErrorCode } from "../auth/token/auth-error";
import { authErrorResponse } from "../auth/strapi/auth-error-response";
import { AUTH_FAILURE_STATE } from "../auth/strapi/keycloak-strategy";
import { cmsConfig } from "../cms-config";
import { MISSING_SCOPE_STATE } from "../auth/clients/client-gate";

export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  const realm = cmsConfig().keycloak.audience;
  return async (ctx: { state: Record<string, unknown>; status: number; body: unknown; set(headers: Record<string, string>): void }, next: () => Promise<void>) => {
    await next();
    const code = ctx.state[AUTH_FAILURE_STATE];
    if (!isAuthErrorCode(code)) return;
    const missing = ctx.state[MISSING_SCOPE_STATE];
    const response = authErrorResponse(code, realm, typeof missing === "string" ? missing : "");
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  };
};
