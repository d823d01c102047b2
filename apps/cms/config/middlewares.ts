export default [
  "strapi::logger",
  "strapi::errors",
  // Inside strapi::errors: a database that cannot be reached answers 503 with Retry-After, not 500.
  "global::database-unavailable",
  // Inside strapi::errors so that it rewrites the 401 Strapi writes for a failed
  // Keycloak strategy into the RFC 6750 response with a stable code.
  "global::keycloak-auth-errors",
  // Turns the step-up policy's refusal into RFC 9470's 401 with acr_values (src/auth/step-up/).
  "global::step-up-challenge",
  "strapi::security",
  // Before CORS and the router: only /api and /_health, unless CMS_ADMIN_PANEL=true.
  "global::closed-doors",
  "strapi::cors",
  "strapi::poweredBy",
  "strapi::query",
  "strapi::body",
  "strapi::session",
  "strapi::favicon",
  "strapi::public",
];
