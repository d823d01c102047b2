// Asks Keycloak's admin API whether a user still exists, with the `cms`
// client's service account (realm-management `view-users`, granted in
// keycloak/realm-export.json). docs/decisions/0110-erasure-on-account-deletion.md.

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

// A token is fetched again this long before it expires, ms.
const TOKEN_RENEW_BEFORE_MS = 30_000;

export class KeycloakUserDirectory {
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: () => number;
  private cachedToken: { value: string; renewAt: number } | undefined;

  constructor(private readonly options: KeycloakUserDirectoryOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
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
    if (response.status === 401) this.cachedToken = undefined;
    throw new UserDirectoryError(`user lookup answered ${response.status}`);
  }

  private async token(): Promise<string> {
    const cached = this.cachedToken;
    if (cached && cached.renewAt > this.now()) return cached.value;
    const response = await this.request(this.options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new UserDirectoryError(`token request answered ${response.status}`);
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") throw new UserDirectoryError("token response without access_token");
    const lifetimeMs = typeof body.expires_in === "number" ? body.expires_in * 1000 : 60_000;
    this.cachedToken = { value: body.access_token, renewAt: this.now() + Math.max(0, lifetimeMs - TOKEN_RENEW_BEFORE_MS) };
    return body.access_token;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw new UserDirectoryError(`Keycloak unreachable (${error instanceof Error ? error.name : "error"})`);
    }
  }
}
