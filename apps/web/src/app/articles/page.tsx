import { CmsError } from "@/server/cms/cms-error";
import { listArticles, type Article } from "@/server/cms/articles";

export default async function ArticlesPage() {
  let articles: Article[] = [];
  let unavailable = false;
  try {
    articles = await listArticles();
  } catch (failure) {
    if (!(failure instanceof CmsError)) throw failure;
    unavailable = true;
  }
  return (
    <>
      <h1>Articles</h1>
      {unavailable ? (
        <p role="alert" data-testid="error">
          Articles are unavailable right now.
        </p>
      ) : null}
      {!unavailable && articles.length === 0 ? <p className="empty" data-testid="no-articles">No articles published yet. Editors can write one under New article.</p> : null}
      <ul className="notes" data-testid="articles-list">
        {articles.map((article) => (
          <li key={article.documentId} data-testid="article">
            <h2>{article.title}</h2>
            {article.summary ? <p>{article.summary}</p> : typeof article.body === "string" ? <p>{article.body}</p> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
