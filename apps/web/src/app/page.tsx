import Link from "next/link";
import { ProviderSignInButtons } from "@/components/provider-sign-in-buttons";
import { RegisterButton } from "@/components/register-button";
import { SignInButton } from "@/components/sign-in-button";
import { getCurrentUser } from "@/server/auth";

export default async function HomePage() {
  const user = await getCurrentUser();
  return (
    <>
      <h1>Acme notes</h1>
      {user ? (
        <p>
          Welcome back, <span data-testid="home-user-name">{user.name ?? user.email}</span>. Go to your{" "}
          <Link href="/notes">notes</Link>.
        </p>
      ) : (
        <>
          <p>Keep private notes and read published articles. Sign in to see your notes.</p>
          <SignInButton returnTo="/notes" testId="home-sign-in" /> <RegisterButton /> <ProviderSignInButtons />
        </>
      )}
    </>
  );
}
