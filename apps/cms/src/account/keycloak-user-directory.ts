// Asks Keycloak's admin API whether a user still exists, with the `cms`
// client's service account (realm-management `view-users`, granted in
// keycloak/realm-export.json). docs/decisions/0110-erasure-on-account-deletion.md.
import { ServiceAccountToken } from "../auth/keycloak/service-account-token";

export interface KeycloakUserDirectoryOptions {
  tokenUrl: string;
  /** `<base>/admin/realms/<realm>/users`. */
  usersUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** `present` covers a disabled user: disabling is not leaving. */
export type UserPresence = "present" | "gone";

export class UserDirectoryError extends Error {
  readonly code = "ERR_USER_DIRECTORY";
  constructor(message: string) {
    super(message);
    this.name = "UserDirectoryError";
  }
}

export class KeycloakUserDirectory {
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly serviceAccount: ServiceAccountToken;

  constructor(private readonly options: KeycloakUserDirectoryOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.serviceAccount = new ServiceAccountToken(options);
  }

  /** Throws UserDirectoryError when Keycloak cannot say (unreachable, refused, unexpected answer). */
  async presence(sub: string): Promise<UserPresence> {
    const token = await this.token();
    const response = await this.request(`${this.options.usersUrl}/${encodeURIComponent(sub)}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    await response.body?.cancel();
    if (response.status === 200) return "present";
    if (response.status === 404) return "gone";
    if (response.status === 401) this.serviceAccount.invalidate();
    throw new UserDirectoryError(`user lookup answered ${response.status}`);
  }

  private async token(): Promise<string> {
    try {
      return (await this.serviceAccount.get()).value;
    } catch (error) {
      throw new UserDirectoryError(error instanceof Error ? error.message : "token request failed");
    }
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw new UserDirectoryError(`Keycloak unreachable (${error instanceof Error ? error.name : "error"})`);
    }
  }
}
