const MESSAGES: Record<string, string> = {
  invalid_article: "An article needs a title (up to 200 characters) and a body of at most 10,000 characters.",
  cms_unavailable: "The articles service is unavailable right now. Your draft is kept; try again in a moment.",
  cms_sign_in_unavailable: "The sign-in service is unavailable right now. Your draft is kept; try again in a moment.",
  cms_not_found: "That article does not exist (any more).",
  cms_forbidden: "Only editors can write articles.",
  cms_bad_request: "The articles service refused that input.",
  cms_invalid_response: "The articles service answered unexpectedly.",
};

export function ArticleErrorMessage({ code }: { code: string | undefined }) {
  if (!code) return null;
  return (
    <p role="alert" data-testid="error">
      {MESSAGES[code] ?? "Something went wrong."}
    </p>
  );
}
