// The content-API actions each Strapi role needs for the product to work.
// Bootstrap adds any that are missing and never removes what an admin added in
// Strapi's admin panel. `public` is the role of requests without a token.

export const ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  public: ["api::article.article.find", "api::article.article.findOne"],
  authenticated: [
    "api::note.note.find",
    "api::note.note.findOne",
    "api::note.note.create",
    "api::note.note.update",
    "api::note.note.delete",
    "api::article.article.find",
    "api::article.article.findOne",
    "plugin::users-permissions.user.me",
  ],
  publisher: [
    "api::article.article.find",
    "api::article.article.findOne",
    "api::article.article.create",
    "api::article.article.update",
  ],
  editor: [
    "api::article.article.find",
    "api::article.article.findOne",
    "api::article.article.create",
    "api::article.article.update",
    "api::article.article.delete",
  ],
};
