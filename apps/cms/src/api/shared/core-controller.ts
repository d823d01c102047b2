// Typed access to Strapi's core collection-type controller from a customised
// one. Without generated content-type typings Strapi types `this` as a partial
// controller; createCoreController sets the core controller as the prototype of
// ours, which is where an overridden action's original lives.
import type { Core } from "@strapi/strapi";
import type { Context } from "koa";
import { callerOf } from "./caller-of";
import { readDataPayload } from "./read-data-payload";
import { refuseOwnerInBody } from "./refuse-owner-in-body";

export type CoreController = Core.CoreAPI.Controller.CollectionType;

type CoreActionName = "find" | "findOne" | "create" | "update" | "delete";

/** The core `update`, refusing a body that names `relation` (400 `owner_not_writable`). */
export async function updateKeepingOwner(controller: unknown, ctx: Context, relation: string): Promise<unknown> {
  if (refuseOwnerInBody(ctx, relation)) return ctx.body;
  return runCoreAction(controller, "update", ctx);
}

/** Runs the core implementation of an action that `controller` overrides. */
export function runCoreAction(controller: unknown, action: CoreActionName, ctx: Context): Promise<unknown> {
  const core = Object.getPrototypeOf(controller) as CoreController;
  return Promise.resolve(core[action].call(controller, ctx, async () => {}));
}

type ContentService = ReturnType<Core.Strapi["service"]>;

/**
 * The core `create`, with `relation` set to the calling user: query and input
 * validated and sanitised as Strapi's own create does, 201 with the sanitised
 * document; a body that names `relation` gets 400 `owner_not_writable`.
 */
export async function createForCaller(controller: unknown, ctx: Context, service: ContentService, relation: string): Promise<unknown> {
  const core = controller as CoreController;
  const user = callerOf(ctx);
  if (refuseOwnerInBody(ctx, relation)) return ctx.body;
  await core.validateQuery(ctx);
  const query = await core.sanitizeQuery(ctx);
  const data = readDataPayload(ctx);
  await core.validateInput(data, ctx);
  const input = (await core.sanitizeInput(data, ctx)) as Record<string, unknown>;
  const created = await service.create({ ...query, data: { ...input, [relation]: user.documentId } });
  ctx.status = 201;
  return core.transformResponse(await core.sanitizeOutput(created, ctx));
}
