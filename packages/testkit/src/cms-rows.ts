// Counts rows in the test stack's Strapi SQLite file, for what Strapi's HTTP
// API cannot show (a deleted person's notes, a private author link). One
// read-only connection per read, with a busy timeout: a write in progress
// makes the read wait instead of failing with "database is locked".
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { StackEnv } from "./stack-env.ts";

function readCms<T>(stack: StackEnv, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(stack.stateDir, "cms", "data.db"), { readOnly: true, timeout: 10_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function cmsRows(stack: StackEnv) {
  return {
    /** Strapi users with this Keycloak subject (0 or 1). */
    users: (keycloakSub: string) =>
      readCms(stack, (db) => (db.prepare("select count(*) as n from up_users where keycloak_sub = ?").get(keycloakSub) as unknown as { n: number }).n),
    /** Notes with these document ids. */
    notes: (documentIds: string[]) =>
      readCms(stack, (db) =>
        (db.prepare(`select count(*) as n from notes where document_id in (${documentIds.map(() => "?").join(",")})`).get(...documentIds) as unknown as { n: number }).n,
      ),
    /** Document ids of the notes owned by the Strapi user with this Keycloak subject. */
    noteIdsOf: (keycloakSub: string) =>
      readCms(stack, (db) =>
        (
          db
            .prepare(
              "select n.document_id as id from notes n join notes_owner_lnk l on l.note_id = n.id join up_users u on u.id = l.user_id where u.keycloak_sub = ?",
            )
            .all(keycloakSub) as unknown as { id: string }[]
        ).map((row) => row.id),
      ),
    /** The author (Strapi user id or null) of each row (draft, published) of an article. */
    articleAuthors: (documentId: string) =>
      readCms(stack, (db) =>
        db
          .prepare("select l.user_id as author from articles a left join articles_author_lnk l on l.article_id = a.id where a.document_id = ?")
          .all(documentId) as unknown as { author: number | null }[],
      ),
  };
}
