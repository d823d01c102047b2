export default [
  "strapi::logger",
  "strapi::errors",
  // Inside strapi::errors so that it rewrites the 401 Strapi writes for a failed
  // Keycloak strategy into the RFC 6750 response with a stable code.
  "global::keycloak-auth-errors",
  "strapi::security",
  "strapi::cors",
  "strapi::poweredBy",
  "strapi::query",
  "strapi::body",
  "strapi::session",
  "strapi::favicon",
  "strapi::public",
];
