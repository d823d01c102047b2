// GET/POST /api/articles, GET/PUT/DELETE /api/articles/:documentId. Who may call
// which action is decided by the users-permissions role permissions
// (role-permissions.ts): public reads, `editor` writes. Which level of
// authentication each needs: the step-up policy (src/auth/step-up/).
import { factories } from "@strapi/strapi";

// One object per route: Strapi writes each route's default `auth.scope` into
// its config object, so a shared object would give every route the first one's scope.
const stepUp = () => ({ policies: ["global::step-up"] });

export default factories.createCoreRouter("api::article.article", {
  config: { find: stepUp(), findOne: stepUp(), create: stepUp(), update: stepUp(), delete: stepUp() },
});
