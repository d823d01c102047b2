import "server-only";
import { z } from "zod";
import { cmsRequest } from "./cms-client";
import { CmsError } from "./cms-error";

// Only the fields the list shows; Strapi may send more.
const articleSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  summary: z.string().nullish(),
  body: z.unknown().optional(),
  publishedAt: z.string().nullish(),
});

export type Article = z.infer<typeof articleSchema>;

/** Published articles: public, read with the user's token when signed in. */
export async function listArticles(): Promise<Article[]> {
  const parsed = z.object({ data: z.array(articleSchema) }).safeParse(await cmsRequest("/api/articles", { auth: "optional" }));
  if (!parsed.success) throw new CmsError("cms_invalid_response");
  return parsed.data.data;
}
