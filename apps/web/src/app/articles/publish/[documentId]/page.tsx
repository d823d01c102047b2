import { requireUser } from "@/server/auth";
import { readArticleDraft, type ArticleDraft } from "@/server/cms/article-publishing";
import { CmsError } from "@/server/cms/cms-error";
import { acrSatisfies } from "@/server/step-up/step-up-challenge";
import { publishDraftAction } from "../../actions";
import { ArticleErrorMessage } from "../../messages";

/**
 * Where a step-up comes back to: the draft saved before the detour, and the
 * button that finishes publishing. The ID token's `acr` says whether Keycloak
 * confirmed the second factor; the API checks the access token again anyway.
 */
export default async function PublishDraftPage({ params, searchParams }: { params: Promise<{ documentId: string }>; searchParams: Promise<{ error?: string }> }) {
  const { documentId } = await params;
  const { error } = await searchParams;
  const user = await requireUser(`/articles/publish/${encodeURIComponent(documentId)}`);
  let draft: ArticleDraft | undefined;
  let readError: string | undefined;
  try {
    draft = await readArticleDraft(documentId);
  } catch (failure) {
    if (!(failure instanceof CmsError)) throw failure;
    readError = failure.code;
  }
  const confirmed = acrSatisfies(user.acr, "second-factor");
  return (
    <>
      <h1>Publish article</h1>
      <ArticleErrorMessage code={error ?? readError} />
      {draft ? (
        <>
          <p data-testid="draft-saved">
            Saved as a draft: <strong data-testid="draft-title">{draft.title}</strong>
          </p>
          <p data-testid="step-up-status">
            {confirmed
              ? "Your second factor is confirmed. Finish publishing:"
              : "Publishing needs your second factor; the sign-in service will ask for it."}
          </p>
          <form action={publishDraftAction.bind(null, documentId)}>
            <button type="submit" data-testid="publish-draft">
              Publish now
            </button>
          </form>
        </>
      ) : null}
    </>
  );
}
