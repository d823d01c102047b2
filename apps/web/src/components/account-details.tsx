import { AccountActionButton } from "@/components/account-action-button";
import { LinkProviderButtons } from "@/components/link-provider-buttons";
import { SignOutButton } from "@/components/sign-out-button";
import type { ReactNode } from "react";

interface AccountUser {
  name: string | null;
  email: string | null;
  username: string | null;
  roles: string[];
}

/**
 * The account page's content for one user, with `children` where the
 * sign-in methods go: /account, and the bench's pair of pages (/bench/account/...),
 * which leave out the sign-in methods since those call Keycloak.
 */
export function AccountDetails({ user, children }: { user: AccountUser; children?: ReactNode }) {
  return (
    <>
      <h1>Account</h1>
      <dl data-testid="account">
        <dt>Name</dt>
        <dd data-testid="account-name">{user.name ?? "—"}</dd>
        <dt>Email</dt>
        <dd data-testid="account-email">{user.email ?? "—"}</dd>
        <dt>Username</dt>
        <dd data-testid="account-username">{user.username ?? "—"}</dd>
        <dt>Roles</dt>
        <dd data-testid="account-roles">{user.roles.filter((role) => role === "user" || role === "editor").join(", ") || "—"}</dd>
      </dl>
      <h2>Manage</h2>
      <p>Password and profile changes happen on the sign-in service&apos;s own pages, then bring you back here.</p>
      <AccountActionButton label="Change password" action="UPDATE_PASSWORD" testId="change-password" />{" "}
      <AccountActionButton label="Update profile" action="UPDATE_PROFILE" testId="update-profile" />{" "}
      <LinkProviderButtons />{" "}
      <SignOutButton />
      {children}
      <h2>Your data</h2>
      <p>
        <a href="/account/data" download data-testid="download-data">
          Download my data
        </a>{" "}
        (one JSON file: your profile and linked providers at the sign-in service, and your notes)
      </p>
      <h2>Leave</h2>
      <p>
        Deleting your account happens at the sign-in service, which asks you to confirm. Your notes and your user
        at the API are erased with it; articles you wrote stay published without your name.
      </p>
      <AccountActionButton label="Delete my account" action="delete_account" testId="delete-account" />
    </>
  );
}
