import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SessionWatch } from "@/components/session-watch";
import { SignInButton } from "@/components/sign-in-button";
import { SignOutButton } from "@/components/sign-out-button";
import { getCurrentUser } from "@/server/auth";
import "./globals.css";

export const metadata: Metadata = { title: "Acme notes" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <header>
          <nav aria-label="Main">
            <Link href="/">Home</Link>
            <Link href="/notes">Notes</Link>
            <Link href="/articles">Articles</Link>
            <Link href="/account">Account</Link>
          </nav>
          {user ? (
            <>
              <span data-testid="signed-in-as">{user.name ?? user.email ?? user.username}</span>
              <SignOutButton />
            </>
          ) : (
            <SignInButton />
          )}
        </header>
        <main>{children}</main>
        <SessionWatch signedIn={Boolean(user)} />
      </body>
    </html>
  );
}
