// Erases what the API holds about one person once Keycloak no longer knows
// them: their notes and their Strapi user. Articles they wrote stay, with the
// author removed. Idempotent: a second run finds nothing and does nothing.
// docs/decisions/0110-erasure-on-account-deletion.md.
import type { Core } from "@strapi/strapi";

const USER_UID = "plugin::users-permissions.user";
const NOTE_UID = "api::note.note";
const ARTICLE_UID = "api::article.article";

export interface ErasureResult {
  /** Whether a Strapi user with this subject existed. */
  user: boolean;
  notes: number;
  articles: number;
}

export async function erasePerson(strapi: Core.Strapi, keycloakSub: string): Promise<ErasureResult> {
  return strapi.db.transaction(async () => {
    const user = (await strapi.db.query(USER_UID).findOne({ where: { keycloakSub }, select: ["id"] })) as { id: number } | null;
    if (!user) return { user: false, notes: 0, articles: 0 };
    const notes = (await strapi.db.query(NOTE_UID).findMany({ where: { owner: { id: user.id } }, select: ["id"] })) as { id: number }[];
    for (const note of notes) await strapi.db.query(NOTE_UID).delete({ where: { id: note.id } });
    // Draft and published rows of an article are separate rows: each loses its author.
    const articles = (await strapi.db.query(ARTICLE_UID).findMany({ where: { author: { id: user.id } }, select: ["id"] })) as { id: number }[];
    for (const article of articles) await strapi.db.query(ARTICLE_UID).update({ where: { id: article.id }, data: { author: null } });
    await strapi.db.query(USER_UID).delete({ where: { id: user.id } });
    return { user: true, notes: notes.length, articles: articles.length };
  });
}
