// GET/POST /api/articles, GET/PUT/DELETE /api/articles/:documentId. Who may call
// which action is decided by the users-permissions role permissions
// (role-permissions.ts): public reads, `editor` writes.
import { factories } from "@strapi/strapi";

export default factories.createCoreRouter("api::article.article");
