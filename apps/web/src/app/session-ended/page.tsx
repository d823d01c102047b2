import { SignInButton } from "@/components/sign-in-button";
import { isSessionEndCode, type SessionEndCode } from "@/server/auth";

const REASONS: Record<SessionEndCode, string> = {
  session_not_found: "You were signed out.",
  refresh_token_expired: "Your session expired after a period of inactivity.",
  refresh_token_rejected: "Your session was ended by the sign-in service.",
  refresh_client_rejected: "The sign-in service refused this application. Please try again later.",
  refresh_lock_timeout: "Your session could not be renewed in time.",
  api_rejected_session: "The notes service no longer accepts your session.",
};

export default async function SessionEndedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <>
      <h1>Your session has ended</h1>
      <p data-testid="session-ended-reason">{isSessionEndCode(reason) ? REASONS[reason] : REASONS.session_not_found}</p>
      <SignInButton label="Sign in again" />
    </>
  );
}
