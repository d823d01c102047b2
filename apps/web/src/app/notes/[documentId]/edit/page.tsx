import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/server/auth";
import { CmsError } from "@/server/cms/cms-error";
import { getNote } from "@/server/cms/notes";
import { updateNoteAction } from "../../actions";
import { ErrorMessage } from "../../error-message";

export default async function EditNotePage({
  params,
  searchParams,
}: {
  params: Promise<{ documentId: string }>;
  searchParams: Promise<{ error?: string }>;
}) {
  const { documentId } = await params;
  const { error } = await searchParams;
  await requireUser(`/notes/${encodeURIComponent(documentId)}/edit`);
  let note;
  try {
    note = await getNote(documentId);
  } catch (failure) {
    if (failure instanceof CmsError && (failure.code === "cms_not_found" || failure.code === "cms_forbidden")) notFound();
    throw failure;
  }

  return (
    <>
      <h1>Edit note</h1>
      <ErrorMessage code={error} />
      <form action={updateNoteAction.bind(null, note.documentId)} data-testid="edit-note-form">
        <label>
          Title
          <input type="text" name="title" required maxLength={200} defaultValue={note.title} />
        </label>
        <label>
          Body
          <textarea name="body" rows={5} maxLength={10_000} defaultValue={note.body ?? ""} />
        </label>
        <button type="submit">Save</button> <Link href="/notes">Cancel</Link>
      </form>
    </>
  );
}
