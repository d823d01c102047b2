// The signed-in CMS user of a content-API request, as set by the Keycloak
// strategy. Owner-scoped controllers take the owner from here, never from the
// request body.
import { errors } from "@strapi/utils";
import type { Context } from "koa";
import type { CmsUser } from "../../auth/users/user-store";

export function callerOf(ctx: Context): CmsUser {
  const user = ctx.state.user as CmsUser | undefined;
  if (!user || typeof user.id !== "number") throw new errors.UnauthorizedError();
  return user;
}
