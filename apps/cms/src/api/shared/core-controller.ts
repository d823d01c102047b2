// Typed access to Strapi's core collection-type controller from a customised
// one. Without generated content-type typings Strapi types `this` as a partial
// controller; createCoreController sets the core controller as the prototype of
// ours, which is where an overridden action's original lives.
import type { Core } from "@strapi/strapi";
import type { Context } from "koa";

export type CoreController = Core.CoreAPI.Controller.CollectionType;

type CoreActionName = "find" | "findOne" | "create" | "update" | "delete";

/** Runs the core implementation of an action that `controller` overrides. */
export function runCoreAction(controller: unknown, action: CoreActionName, ctx: Context): Promise<unknown> {
  const core = Object.getPrototypeOf(controller) as CoreController;
  return Promise.resolve(core[action].call(controller, ctx, async () => {}));
}
