import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AcmeMark } from "@/components/acme-mark";
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
        <header className="site-header">
          {/* Not a link: a "Notes" or "Home" link must stay the only one of its name. */}
          <span className="brand">
            <AcmeMark />
            Acme notes
          </span>
          <nav aria-label="Main" className="site-nav">
            <Link href="/">Home</Link>
            <Link href="/notes">Notes</Link>
            <Link href="/articles">Articles</Link>
            <Link href="/account">Account</Link>
          </nav>
          <div className="session">
            {user ? (
              <>
                <span data-testid="signed-in-as">{user.name ?? user.email ?? user.username}</span>
                <SignOutButton />
              </>
            ) : (
              <SignInButton />
            )}
          </div>
        </header>
        <main>{children}</main>
        <SessionWatch signedIn={Boolean(user)} />
      </body>
    </html>
  );
}
