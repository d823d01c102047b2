// A request to each route family Strapi mounts outside its content API (the
// admin panel's API, plugins' admin routes, static files), each one a request
// that route would answer if it were open. Strapi with the admin panel off,
// and the production proxy in front of it, answer every one with 404.
export const CLOSED_CMS_REQUESTS = [
  ["POST", "/admin/register-admin"],
  ["GET", "/admin/init"],
  ["POST", "/admin/login"],
  ["GET", "/admin/users/me"],
  ["GET", "/admin"],
  ["GET", "/content-manager/collection-types/api::note.note"],
  ["GET", "/content-manager/collection-types/plugin::users-permissions.user"],
  ["GET", "/content-type-builder/content-types"],
  ["GET", "/upload/files"],
  ["GET", "/i18n/locales"],
  ["GET", "/users-permissions/roles"],
  ["GET", "/users-permissions/providers"],
  ["GET", "/documentation"],
  ["GET", "/"],
  ["GET", "/favicon.ico"],
  ["OPTIONS", "/admin/register-admin"],
] as const;

/** What an outsider would send to register-admin. */
export const ATTACKER_ADMIN = { firstname: "Mallory", lastname: "Outside", email: "mallory@example.com", password: "Mallory-takes-over-1" };
