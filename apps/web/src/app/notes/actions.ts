"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/server/auth";
import { CmsError } from "@/server/cms/cms-error";
import { createNote, deleteNote, updateNote } from "@/server/cms/notes";

const noteInput = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(10_000),
});

function readInput(form: FormData) {
  return noteInput.safeParse({ title: form.get("title") ?? "", body: form.get("body") ?? "" });
}

/** Runs a CMS write; a refused write comes back to `page` with its code instead of an error page. */
async function write(page: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof CmsError) redirect(`${page}?${new URLSearchParams({ error: error.code })}`);
    throw error;
  }
}

// Server actions are public endpoints: each one checks the user itself.
export async function createNoteAction(form: FormData): Promise<void> {
  await requireUser("/notes");
  const input = readInput(form);
  if (!input.success) redirect("/notes?error=invalid_note");
  await write("/notes", () => createNote(input.data));
  revalidatePath("/notes");
  redirect("/notes");
}

export async function updateNoteAction(documentId: string, form: FormData): Promise<void> {
  const page = `/notes/${encodeURIComponent(documentId)}/edit`;
  await requireUser(page);
  const input = readInput(form);
  if (!input.success) redirect(`${page}?error=invalid_note`);
  await write(page, () => updateNote(documentId, input.data));
  revalidatePath("/notes");
  redirect("/notes");
}

export async function deleteNoteAction(documentId: string): Promise<void> {
  await requireUser("/notes");
  await write("/notes", () => deleteNote(documentId));
  revalidatePath("/notes");
  redirect("/notes");
}
