"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/server/auth";
import { createArticleDraft, publishArticle } from "@/server/cms/article-publishing";
import { CmsError } from "@/server/cms/cms-error";
import { StepUpRequiredError } from "@/server/step-up/step-up-challenge";
import { startStepUp } from "@/server/step-up/start-step-up";

const articleInput = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(10_000),
});

const publishPage = (documentId: string) => `/articles/publish/${encodeURIComponent(documentId)}`;

/**
 * Publish from the editor form: saved as a draft first (level 1), then
 * published. When the API asks for a second factor, the person goes through
 * Keycloak and comes back to the draft's publish page: nothing typed is lost.
 */
export async function publishNewArticleAction(form: FormData): Promise<void> {
  await requireUser("/articles/new");
  const input = articleInput.safeParse({ title: form.get("title") ?? "", body: form.get("body") ?? "" });
  if (!input.success) redirect("/articles/new?error=invalid_article");
  let documentId: string;
  try {
    documentId = (await createArticleDraft(input.data)).documentId;
  } catch (error) {
    if (error instanceof CmsError) redirect(`/articles/new?${new URLSearchParams({ error: error.code })}`);
    throw error;
  }
  await publishOrStepUp(documentId);
}

/** "Publish now" on a saved draft (after a step-up, or to retry). */
export async function publishDraftAction(documentId: string): Promise<void> {
  await requireUser(publishPage(documentId));
  await publishOrStepUp(documentId);
}

async function publishOrStepUp(documentId: string): Promise<never> {
  try {
    await publishArticle(documentId);
  } catch (error) {
    if (error instanceof StepUpRequiredError) await startStepUp(error.challenge, publishPage(documentId));
    if (error instanceof CmsError) redirect(`${publishPage(documentId)}?${new URLSearchParams({ error: error.code })}`);
    throw error;
  }
  revalidatePath("/articles");
  redirect("/articles?published=1");
}
