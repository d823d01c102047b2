// The owner of a note and the author of an article come from the caller's
// token on create and never change afterwards. Strapi's own input validation
// refuses such a relation only while the caller lacks
// `plugin::users-permissions.user.find` (its restricted-relations check), so a
// later permission grant would let anyone hand a note to someone else, or
// orphan it with `null`. The schemas mark the relations `writable: false`
// (Strapi then refuses the key whatever the permissions); this answers first,
// with a stable code, whatever shape the value has (id, documentId,
// `{ connect }`, `{ set }`, `{ disconnect }`, null).
import type { Context } from "koa";

export const OWNER_NOT_WRITABLE = "owner_not_writable";

interface OwnerNotWritableBody {
  data: null;
  error: { status: 400; name: "ValidationError"; code: typeof OWNER_NOT_WRITABLE; message: string; details: { key: string } };
}

function ownerNotWritableBody(relation: string): OwnerNotWritableBody {
  return {
    data: null,
    error: {
      status: 400,
      name: "ValidationError",
      code: OWNER_NOT_WRITABLE,
      message: `"${relation}" is set from the caller's token when the document is created and cannot be written.`,
      details: { key: relation },
    },
  };
}

/** Answers 400 and returns true when the request's `data` names `relation` at all. */
export function refuseOwnerInBody(ctx: Pick<Context, "request" | "status" | "body">, relation: string): boolean {
  const data = (ctx.request.body as { data?: unknown } | undefined)?.data;
  if (typeof data !== "object" || data === null || !Object.hasOwn(data, relation)) return false;
  ctx.status = 400;
  ctx.body = ownerNotWritableBody(relation);
  return true;
}
