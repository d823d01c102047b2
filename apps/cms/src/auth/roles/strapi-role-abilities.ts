// Loads the content-API ability of a set of users-permissions roles: the union
// of their permission rows, turned into an ability by Strapi's own engine so
// that `verify` behaves exactly like users-permissions'.
import type { Core } from "@strapi/strapi";

const PERMISSION_UID = "plugin::users-permissions.permission";

export type ContentApiAbility = { can(action: string): boolean };

export function createStrapiRoleAbilityLoader(strapi: Core.Strapi) {
  return async (roleTypes: readonly string[]): Promise<ContentApiAbility> => {
    const permissions =
      roleTypes.length === 0
        ? []
        : ((await strapi.db.query(PERMISSION_UID).findMany({
            where: { role: { type: { $in: [...roleTypes] } } },
            select: ["action"],
          })) as { action: string }[]);
    const actions = [...new Set(permissions.map((permission) => permission.action))];
    const ability = (await strapi.contentAPI.permissions.engine.generateAbility(actions.map((action) => ({ action })))) as unknown as ContentApiAbility;
    // Content-API permissions have no subject; Strapi itself calls `can(action)`.
    return rememberAnswers(ability);
  };
}

/**
 * The ability answering each action once: a cached ability never changes (a permission change
 * replaces it, ability-cache.ts), and CASL works an answer out through its rule index every time.
 * The actions asked about are the routes' scopes, a set fixed by the code.
 */
export function rememberAnswers(ability: ContentApiAbility): ContentApiAbility {
  const answers = new Map<string, boolean>();
  return {
    can(action) {
      let answer = answers.get(action);
      if (answer === undefined) {
        answer = ability.can(action);
        answers.set(action, answer);
      }
      return answer;
    },
  };
}

