// Articles: anyone reads published ones; the `editor` role (see
// role-permissions.ts) creates, edits and deletes. Strapi's REST API would let
// any reader ask for `?status=draft`, so readers without write permission are
// pinned to published content. The author is set from the token on create and
// never written afterwards (400 `owner_not_writable`).
import { factories } from "@strapi/strapi";
import type { Context } from "koa";
import { createForCaller, runCoreAction, updateKeepingOwner } from "../../shared/core-controller";

const ARTICLE = "api::article.article";

const mayEdit = (ctx: Context) =>
  (ctx.state.auth as { ability?: { can(action: string): boolean } | null } | undefined)?.ability?.can(
    `${ARTICLE}.update`,
  ) === true;

const publishedOnlyUnlessEditor = (ctx: Context) => {
  if (!mayEdit(ctx)) ctx.query = { ...ctx.query, status: "published" };
};

export default factories.createCoreController(ARTICLE, ({ strapi }) => ({
  async find(ctx: Context) {
    publishedOnlyUnlessEditor(ctx);
    return runCoreAction(this, "find", ctx);
  },

  async findOne(ctx: Context) {
    publishedOnlyUnlessEditor(ctx);
    return runCoreAction(this, "findOne", ctx);
  },

  async create(ctx: Context) {
    return createForCaller(this, ctx, strapi.service(ARTICLE), "author");
  },

  async update(ctx: Context) {
    return updateKeepingOwner(this, ctx, "author");
  },
}));
