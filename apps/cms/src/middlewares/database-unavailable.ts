// Answers 503 with Retry-After, instead of Strapi's 500, when a request failed
// because the database cannot be reached (src/http/database-unavailable.ts).
// Registered in config/middlewares.ts inside strapi::errors, so every other
// error still reaches Strapi's own handling; the failure is logged once.
import type { Core } from "@strapi/strapi";
import { DATABASE_UNAVAILABLE_RESPONSE, isDatabaseUnavailable } from "../http/database-unavailable";

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      strapi.log.warn(`${ctx.method} ${ctx.path}: the database cannot be reached (${error instanceof Error ? error.message : String(error)}); answered 503`);
      ctx.status = DATABASE_UNAVAILABLE_RESPONSE.status;
      ctx.set(DATABASE_UNAVAILABLE_RESPONSE.headers);
      ctx.body = DATABASE_UNAVAILABLE_RESPONSE.body;
    }
  };
};
