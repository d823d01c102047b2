import { AccountActionButton } from "@/components/account-action-button";
import { accountCredentials } from "@/server/step-up/account-credentials";

/**
 * The account page's "Sign-in methods": what the person has set up, read from
 * Keycloak's account API, and buttons that start Keycloak's own set-up pages
 * (application-initiated actions). The app never sees a secret or a code.
 */
export async function StrongAuthentication() {
  const credentials = await accountCredentials();
  return (
    <>
      <h2>Sign-in methods</h2>
      {credentials ? (
        <ul data-testid="credentials">
          {credentials.map((credential) => (
            <li key={credential.type} data-testid={`credential-${credential.type}`} data-count={credential.count}>
              {credential.label}: {credential.count === 0 ? "not set up" : credential.type === "webauthn-passwordless" ? `${credential.count} registered` : "set up"}
            </li>
          ))}
        </ul>
      ) : (
        <p role="alert" data-testid="credentials-unavailable">
          The sign-in service cannot list your sign-in methods right now.
        </p>
      )}
      <AccountActionButton label="Add a passkey" action="webauthn-register-passwordless" testId="add-passkey" />{" "}
      <AccountActionButton label="Set up an authenticator app" action="CONFIGURE_TOTP" testId="configure-totp" />{" "}
      <AccountActionButton label="Create recovery codes" action="CONFIGURE_RECOVERY_AUTHN_CODES" testId="recovery-codes" />
    </>
  );
}
