import { requireUser } from "@/server/auth";
import { publishNewArticleAction } from "../actions";
import { ArticleErrorMessage } from "../messages";

export default async function NewArticlePage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const user = await requireUser("/articles/new");
  const { error } = await searchParams;
  if (!user.roles.includes("editor")) {
    return (
      <>
        <h1>New article</h1>
        <ArticleErrorMessage code="cms_forbidden" />
      </>
    );
  }
  return (
    <>
      <h1>New article</h1>
      <ArticleErrorMessage code={error} />
      <p>Publishing asks for your second factor (an authenticator app code, a passkey or a recovery code) if you have not given it in the last 15 minutes.</p>
      <form action={publishNewArticleAction} data-testid="new-article-form" className="card">
        <label>
          Title <input name="title" required maxLength={200} data-testid="article-title" />
        </label>
        <label>
          Body <textarea name="body" maxLength={10_000} data-testid="article-body" />
        </label>
        <button type="submit" data-testid="publish-article">
          Publish
        </button>
      </form>
    </>
  );
}
