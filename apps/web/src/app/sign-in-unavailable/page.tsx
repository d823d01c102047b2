import { safeReturnPath } from "@/server/auth";

// Shown while Keycloak cannot renew an expired access token. The session is
// kept (an outage signs nobody out), so trying again after the outage works.
export default async function SignInUnavailablePage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const { returnTo } = await searchParams;
  const again = safeReturnPath(returnTo);
  return (
    <>
      <h1>The sign-in service is unavailable</h1>
      <p role="alert" data-testid="sign-in-unavailable">
        The sign-in service cannot be reached right now, so your session cannot be renewed. You are still signed in: try again in a
        moment.
      </p>
      <p>
        {/* A full page load (not <Link>): it goes through the proxy's session check again, and a
            path from the query string is never read as a route pattern. */}
        <a href={again} data-testid="try-again">
          Try again
        </a>
      </p>
    </>
  );
}
