import { SignInButton } from "@/components/sign-in-button";

// next-auth sends sign-in failures here (`pages.error`). It reports most of
// them as "Configuration", including a stale or missing state cookie (a second
// tab, the back button), so the page does not blame the setup; the server log
// names the failed check.
const MESSAGES: Record<string, string> = {
  AccessDenied: "Sign-in was cancelled or denied.",
  Verification: "That sign-in link is no longer valid.",
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <>
      <h1>Sign-in did not complete</h1>
      <p role="alert" data-testid="auth-error">
        {(error && MESSAGES[error]) ?? "Sign-in could not be completed. Please try again."}
      </p>
      <SignInButton label="Try again" />
    </>
  );
}
