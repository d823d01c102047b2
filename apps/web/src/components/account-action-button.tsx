import { accountAction } from "@/server/auth";

interface AccountActionButtonProps {
  label: string;
  /** Keycloak's application-initiated action, e.g. `UPDATE_PASSWORD`, `idp_link:google`. */
  action: string;
  testId: string;
}

/** A POST form to the account-action server action: works without JavaScript, and Keycloak's page follows. */
export function AccountActionButton({ label, action, testId }: AccountActionButtonProps) {
  return (
    <form action={accountAction} className="inline">
      <input type="hidden" name="action" value={action} />
      <button type="submit" data-testid={testId}>
        {label}
      </button>
    </form>
  );
}
