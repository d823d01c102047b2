import "server-only";
import { z } from "zod";
import { getAccessToken } from "../auth";
import { keycloakEndpoints, keycloakFetch } from "../auth/keycloak/keycloak-endpoints";
import { webConfig } from "../config/web-config";

/** What the account page shows about one kind of sign-in credential. */
export interface CredentialSummary {
  type: "password" | "otp" | "webauthn-passwordless" | "recovery-authn-codes";
  label: string;
  /** How many the person has (recovery codes: one set). */
  count: number;
  /** Keycloak's own action that sets one up (`kc_action`), when there is one. */
  setUpAction?: string;
}

const SHOWN: Record<CredentialSummary["type"], { label: string; setUpAction?: string }> = {
  password: { label: "Password" },
  otp: { label: "Authenticator app", setUpAction: "CONFIGURE_TOTP" },
  "webauthn-passwordless": { label: "Passkey", setUpAction: "webauthn-register-passwordless" },
  "recovery-authn-codes": { label: "Recovery codes", setUpAction: "CONFIGURE_RECOVERY_AUTHN_CODES" },
};

// Keycloak's account REST API, GET /realms/<realm>/account/credentials: one
// entry per credential type the realm offers, with the person's credentials.
const credentialTypes = z.array(
  z.object({
    type: z.string(),
    userCredentialMetadatas: z.array(z.unknown()).optional(),
  }),
);

export function summariseCredentials(body: unknown): CredentialSummary[] | undefined {
  const parsed = credentialTypes.safeParse(body);
  if (!parsed.success) return undefined;
  const counts = new Map(parsed.data.map((entry) => [entry.type, entry.userCredentialMetadatas?.length ?? 0]));
  return (Object.keys(SHOWN) as CredentialSummary["type"][]).map((type) => ({ type, count: counts.get(type) ?? 0, ...SHOWN[type] }));
}

/**
 * The signed-in person's credentials, read from Keycloak's account API with
 * their own access token. `undefined` when Keycloak cannot say (down, or the
 * token not accepted): the page then says so instead of showing "none".
 */
export async function accountCredentials(): Promise<CredentialSummary[] | undefined> {
  const token = await getAccessToken();
  if (!token) return undefined;
  const config = webConfig();
  const endpoints = keycloakEndpoints(config.keycloakIssuer, config.keycloakInternalUrl);
  try {
    const response = await keycloakFetch(endpoints, config.upstreamTimeoutMs)(`${config.keycloakIssuer}/account/credentials`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      cache: "no-store",
    });
    if (!response.ok) return undefined;
    return summariseCredentials(await response.json());
  } catch {
    return undefined;
  }
}
