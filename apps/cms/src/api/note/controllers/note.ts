// Notes are private: every action is scoped to the caller's own notes. Someone
// else's note answers 404, exactly like a note that does not exist, so ids
// cannot be probed. The owner is set from the token on create; a body that
// names one, on create or update, gets 400 `owner_not_writable`.
import { factories } from "@strapi/strapi";
import { errors } from "@strapi/utils";
import type { Context } from "koa";
import { callerOf } from "../../shared/caller-of";
import { createForCaller, runCoreAction, updateKeepingOwner, type CoreController } from "../../shared/core-controller";

const NOTE = "api::note.note";

export default factories.createCoreController(NOTE, ({ strapi }) => {
  const ownedBy = (userId: number) => ({ owner: { id: userId } });

  const assertOwned = async (ctx: Context) => {
    const user = callerOf(ctx);
    const note = await strapi.documents(NOTE).findFirst({
      filters: { documentId: ctx.params.id, ...ownedBy(user.id) },
      fields: ["documentId"],
    });
    if (!note) throw new errors.NotFoundError("Note not found");
  };

  return {
    async find(ctx: Context) {
      const core = this as unknown as CoreController;
      const user = callerOf(ctx);
      await core.validateQuery(ctx);
      const query = (await core.sanitizeQuery(ctx)) as { filters?: Record<string, unknown> };
      const filters = query.filters ? { $and: [query.filters, ownedBy(user.id)] } : ownedBy(user.id);
      const { results, pagination } = await strapi.service(NOTE).find({ ...query, filters });
      return core.transformResponse(await core.sanitizeOutput(results, ctx), { pagination });
    },

    async findOne(ctx: Context) {
      await assertOwned(ctx);
      return runCoreAction(this, "findOne", ctx);
    },

    async create(ctx: Context) {
      return createForCaller(this, ctx, strapi.service(NOTE), "owner");
    },

    async update(ctx: Context) {
      await assertOwned(ctx);
      return updateKeepingOwner(this, ctx, "owner");
    },

    async delete(ctx: Context) {
      await assertOwned(ctx);
      return runCoreAction(this, "delete", ctx);
    },
  };
});
