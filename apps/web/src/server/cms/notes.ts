import "server-only";
import { z } from "zod";
import { cmsRequest } from "./cms-client";
import { CmsError } from "./cms-error";

const noteSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  body: z.string().nullable().default(""),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Note = z.infer<typeof noteSchema>;
export interface NoteInput {
  title: string;
  body: string;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CmsError("cms_invalid_response");
  return parsed.data;
}

const one = z.object({ data: noteSchema });
const many = z.object({ data: z.array(noteSchema) });
const documentPath = (documentId: string) => `/api/notes/${encodeURIComponent(documentId)}`;

/** The signed-in user's notes; Strapi scopes them to the token's subject. */
export async function listNotes(): Promise<Note[]> {
  return parse(many, await cmsRequest("/api/notes?sort=updatedAt:desc", { auth: "user" })).data;
}

export async function getNote(documentId: string): Promise<Note> {
  return parse(one, await cmsRequest(documentPath(documentId), { auth: "user" })).data;
}

export async function createNote(input: NoteInput): Promise<Note> {
  return parse(one, await cmsRequest("/api/notes", { method: "POST", auth: "user", body: { data: input } })).data;
}

export async function updateNote(documentId: string, input: NoteInput): Promise<Note> {
  return parse(one, await cmsRequest(documentPath(documentId), { method: "PUT", auth: "user", body: { data: input } })).data;
}

export async function deleteNote(documentId: string): Promise<void> {
  await cmsRequest(documentPath(documentId), { method: "DELETE", auth: "user" });
}
