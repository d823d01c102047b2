// GET/POST /api/notes, GET/PUT/DELETE /api/notes/:documentId. Authentication is
// set for every content-API route in bootstrap (use-keycloak-strategy-first.ts).
import { factories } from "@strapi/strapi";

export default factories.createCoreRouter("api::note.note");
