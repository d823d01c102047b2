const MESSAGES: Record<string, string> = {
  invalid_note: "A note needs a title (up to 200 characters) and a body of at most 10,000 characters.",
  cms_unavailable: "The notes service is unavailable right now. Try again in a moment.",
  cms_sign_in_unavailable:
    "The sign-in service is unavailable right now, so the notes service cannot confirm your session. You are still signed in; try again in a moment.",
  cms_not_found: "That note does not exist (any more).",
  cms_forbidden: "You are not allowed to do that.",
  cms_bad_request: "The notes service refused that input.",
  cms_invalid_response: "The notes service answered unexpectedly.",
};

export function ErrorMessage({ code }: { code: string | undefined }) {
  if (!code) return null;
  return (
    <p role="alert" data-testid="error">
      {MESSAGES[code] ?? "Something went wrong."}
    </p>
  );
}
