// Makes sure every Strapi role of the role table exists and holds the
// permissions the product needs. Adds what is missing, removes nothing, so
// permissions an admin granted in Strapi's admin panel stay.
import type { Core } from "@strapi/strapi";
import { ROLE_PERMISSIONS } from "./role-permissions";
import { ROLE_TABLE } from "./role-table";

const ROLE_UID = "plugin::users-permissions.role";
const PERMISSION_UID = "plugin::users-permissions.permission";

/** Returns the id of every users-permissions role, by role type. */
export async function ensureRolePermissions(strapi: Core.Strapi): Promise<Map<string, number>> {
  const roles = strapi.db.query(ROLE_UID);
  for (const mapping of ROLE_TABLE) {
    const existing = await roles.findOne({ where: { type: mapping.strapiRoleType } });
    if (!existing) {
      await roles.create({
        data: { type: mapping.strapiRoleType, name: mapping.strapiRoleName, description: mapping.description },
      });
    }
  }

  for (const [type, actions] of Object.entries(ROLE_PERMISSIONS)) {
    const role = (await roles.findOne({ where: { type }, select: ["id"] })) as { id: number } | null;
    if (!role) throw new Error(`users-permissions role "${type}" is missing; it should have been created at start.`);
    const granted = (await strapi.db
      .query(PERMISSION_UID)
      .findMany({ where: { role: { id: role.id } }, select: ["action"] })) as { action: string }[];
    const have = new Set(granted.map((permission) => permission.action));
    for (const action of actions) {
      if (!have.has(action)) await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
    }
  }

  const all = (await roles.findMany({ select: ["id", "type"] })) as { id: number; type: string }[];
  return new Map(all.map((role) => [role.type, role.id]));
}
