import type { SignInParams } from "@/server/auth";

interface SignInButtonProps {
  label?: string;
  /** Where to land after signing in. */
  returnTo?: string;
  /** Extra authorization parameters, e.g. `{ prompt: "create" }` for a Register button. */
  params?: SignInParams;
  testId?: string;
}

/** A plain GET form to /sign-in: works without JavaScript, and Keycloak's page follows. */
export function SignInButton({ label = "Sign in", returnTo, params = {}, testId = "sign-in" }: SignInButtonProps) {
  return (
    <form action="/sign-in" method="get" className="inline">
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      {Object.entries(params).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={String(value)} />
      ))}
      <button type="submit" data-testid={testId}>
        {label}
      </button>
    </form>
  );
}
