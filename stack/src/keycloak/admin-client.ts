// A Keycloak admin client for the master realm's admin that stays signed in:
// master-realm admin tokens live 60 s, longer than most calls but shorter than
// a test run, so the token is fetched again shortly before it expires.
import KcAdminClient from "@keycloak/keycloak-admin-client";

export interface AdminLogin {
  keycloakUrl: string;
  user: string;
  password: string;
  /** The realm the client's calls address by default. */
  realm?: string;
}

export type AdminClient = KcAdminClient;

export async function createAdminClient(login: AdminLogin): Promise<AdminClient> {
  const client = new KcAdminClient({ baseUrl: login.keycloakUrl, realmName: "master" });
  let expiresAt = 0;
  let pending: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const response = await fetch(`${login.keycloakUrl}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: login.user, password: login.password }),
    });
    if (!response.ok) throw new Error(`Keycloak admin sign-in failed with HTTP ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    expiresAt = Date.now() + (body.expires_in - 10) * 1000;
    return body.access_token;
  };
  let token = await fetchToken();
  client.registerTokenProvider({
    getAccessToken: async () => {
      if (Date.now() < expiresAt) return token;
      pending ??= fetchToken().finally(() => (pending = undefined));
      token = await pending;
      return token;
    },
  });
  client.setConfig({ realmName: login.realm ?? "master" });
  return client;
}
