// With CMS_ADMIN_PANEL=true, the admin panel's first (super) admin comes from
// the deployment's secrets, created in bootstrap, before Strapi listens. Strapi's
// own `createFirstAdmin` refuses once any admin exists, so
// `POST /admin/register-admin` can never make anyone an admin afterwards.
// An existing admin is left as it is: the secrets seed the panel, they do not
// manage its accounts (change the password in the panel).
import type { Core } from "@strapi/strapi";

export interface FirstAdmin {
  email: string;
  password: string;
}

interface AdminUserService {
  exists(attributes?: Record<string, unknown>): Promise<boolean>;
  createFirstAdmin(attributes: Record<string, unknown>): Promise<unknown>;
}

export type FirstAdminOutcome = "created" | "exists";

export async function ensureFirstAdmin(strapi: Core.Strapi, admin: FirstAdmin): Promise<FirstAdminOutcome> {
  const users = strapi.service("admin::user") as unknown as AdminUserService;
  if (await users.exists()) return "exists";
  try {
    await users.createFirstAdmin({
      // Strapi's registration form lower-cases the address; its login looks it up as given.
      email: admin.email.toLowerCase(),
      password: admin.password,
      firstname: "Admin",
    });
    return "created";
  } catch (error) {
    // Another instance created it first (Strapi serialises the creation on the
    // super admin role's row): the outcome we wanted.
    if (await users.exists()) return "exists";
    throw error;
  }
}
