import "server-only";
import { z } from "zod";
import { cmsRequest } from "./cms-client";
import { CmsError } from "./cms-error";

// Writing and publishing articles (the editor role). Publishing needs level 2
// at the API (apps/cms/src/auth/step-up/): a weaker token makes cmsRequest throw
// StepUpRequiredError. The text is saved as a draft first (level 1), so a step-up
// detour never loses what was typed.

const draftSchema = z.object({
  data: z.object({ documentId: z.string().min(1), title: z.string(), body: z.string().nullish(), publishedAt: z.string().nullish() }),
});

export type ArticleDraft = z.infer<typeof draftSchema>["data"];

export async function createArticleDraft(input: { title: string; body: string }): Promise<ArticleDraft> {
  const parsed = draftSchema.safeParse(await cmsRequest("/api/articles?status=draft", { method: "POST", auth: "user", body: { data: input } }));
  if (!parsed.success) throw new CmsError("cms_invalid_response");
  return parsed.data.data;
}

export async function readArticleDraft(documentId: string): Promise<ArticleDraft> {
  const parsed = draftSchema.safeParse(await cmsRequest(`/api/articles/${encodeURIComponent(documentId)}?status=draft`, { auth: "user" }));
  if (!parsed.success) throw new CmsError("cms_invalid_response");
  return parsed.data.data;
}

export async function publishArticle(documentId: string): Promise<void> {
  await cmsRequest(`/api/articles/${encodeURIComponent(documentId)}?status=published`, { method: "PUT", auth: "user", body: { data: {} } });
}
