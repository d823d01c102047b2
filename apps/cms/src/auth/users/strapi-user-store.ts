// UserStore over Strapi's query engine (users-permissions' `up_users` table).
// The query engine skips the document service's validation and lifecycles on
// purpose: this runs on the request path.
import type { Core } from "@strapi/strapi";
import type { CmsUser, UserProfile, UserStore } from "./user-store";

const USER_UID = "plugin::users-permissions.user";
const SELECT = ["id", "documentId", "username", "email", "confirmed", "blocked", "keycloakSub", "provider"];
/** users-permissions' `provider` column tells people from client service accounts. */
const SERVICE_ACCOUNT_PROVIDER = "keycloak-service-account";
const POPULATE = { role: { select: ["id"] } };

interface UserRow {
  id: number;
  documentId: string;
  username: string;
  email: string | null;
  confirmed: boolean | null;
  blocked: boolean | null;
  keycloakSub: string;
  provider?: string | null;
  role?: { id: number } | null;
}

export function createStrapiUserStore(strapi: Core.Strapi): UserStore {
  const users = () => strapi.db.query(USER_UID);
  const toUser = (row: UserRow): CmsUser => ({
    id: row.id,
    documentId: row.documentId,
    username: row.username,
    email: row.email ?? null,
    confirmed: row.confirmed === true,
    blocked: row.blocked === true,
    keycloakSub: row.keycloakSub,
    roleId: row.role?.id ?? null,
    kind: row.provider === SERVICE_ACCOUNT_PROVIDER ? "service" : "person",
  });
  const toData = (profile: Partial<UserProfile>) => {
    const { roleId, kind: _kind, ...rest } = profile;
    return roleId === undefined ? rest : { ...rest, role: roleId };
  };

  return {
    async findBySubject(keycloakSub) {
      const row = (await users().findOne({ where: { keycloakSub }, select: SELECT, populate: POPULATE })) as UserRow | null;
      return row ? toUser(row) : null;
    },
    async create(profile) {
      const row = (await users().create({
        data: { ...toData(profile), provider: profile.kind === "service" ? SERVICE_ACCOUNT_PROVIDER : "keycloak", blocked: false },
        select: SELECT,
        populate: POPULATE,
      })) as UserRow;
      return toUser(row);
    },
    async update(id, changes) {
      const row = (await users().update({
        where: { id },
        data: toData(changes),
        select: SELECT,
        populate: POPULATE,
      })) as UserRow;
      return toUser(row);
    },
  };
}
