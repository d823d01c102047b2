// Strapi's REST convention: writes carry `{ "data": { ...fields } }`.
import { errors } from "@strapi/utils";
import type { Context } from "koa";

export function readDataPayload(ctx: Context): Record<string, unknown> {
  const data = (ctx.request.body as { data?: unknown } | undefined)?.data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new errors.ValidationError('Missing "data" payload in the request body');
  }
  return data as Record<string, unknown>;
}
