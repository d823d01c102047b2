import Link from "next/link";
import { requireUser } from "@/server/auth";
import { CmsError } from "@/server/cms/cms-error";
import { listNotes, type Note } from "@/server/cms/notes";
import { createNoteAction, deleteNoteAction } from "./actions";
import { ErrorMessage } from "./error-message";

export default async function NotesPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const user = await requireUser("/notes");
  const { error } = await searchParams;
  let notes: Note[] = [];
  let loadError: string | undefined;
  try {
    notes = await listNotes();
  } catch (failure) {
    if (!(failure instanceof CmsError)) throw failure;
    loadError = failure.code;
  }

  return (
    <>
      <h1>Notes</h1>
      <p>
        Notes of <strong data-testid="user-name">{user.name ?? user.email}</strong>
      </p>
      <ErrorMessage code={error ?? loadError} />

      <section aria-labelledby="new-note" className="card">
        <h2 id="new-note">New note</h2>
        <form action={createNoteAction} data-testid="new-note-form">
          <label>
            Title
            <input type="text" name="title" required maxLength={200} />
          </label>
          <label>
            Body
            <textarea name="body" rows={3} maxLength={10_000} />
          </label>
          <button type="submit">Add note</button>
        </form>
      </section>

      <section aria-labelledby="your-notes">
        <h2 id="your-notes">Your notes</h2>
        {notes.length === 0 && !loadError ? <p className="empty" data-testid="no-notes">No notes yet. Write your first one above.</p> : null}
        <ul className="notes" data-testid="notes-list">
          {notes.map((note) => (
            <li key={note.documentId} data-testid="note" data-document-id={note.documentId}>
              <h3 data-testid="note-title">{note.title}</h3>
              <p data-testid="note-body">{note.body}</p>
              <Link href={`/notes/${encodeURIComponent(note.documentId)}/edit`} aria-label={`Edit ${note.title}`}>
                Edit
              </Link>{" "}
              <form action={deleteNoteAction.bind(null, note.documentId)} className="inline">
                <button type="submit" aria-label={`Delete ${note.title}`}>
                  Delete
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
