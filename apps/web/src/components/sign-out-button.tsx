import { signOutAction } from "@/server/auth";

export function SignOutButton() {
  return (
    <form action={signOutAction} className="inline">
      <button type="submit" data-testid="sign-out">
        Sign out
      </button>
    </form>
  );
}
