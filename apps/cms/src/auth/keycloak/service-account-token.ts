// The `cms` client's own access token (OAuth 2.0 client-credentials grant,
// RFC 6749 §4.4), for the calls Strapi makes to Keycloak as itself: the SSF
// stream management and the admin API's user lookup. The token is reused until
// shortly before it expires, and concurrent callers share one token request,
// so a burst of calls costs Keycloak one grant.
import { SingleFlight } from "@stack/keycloak-tokens";

export interface ServiceAccountTokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to request; Keycloak's default client scopes when absent. */
  scope?: string;
  /** Per token request, ms. */
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface ServiceAccountAccessToken {
  value: string;
  /** The scopes the token response granted (RFC 6749 §5.1 `scope`). */
  scopes: readonly string[];
}

export class ServiceAccountTokenError extends Error {
  readonly code = "ERR_SERVICE_ACCOUNT_TOKEN";
  constructor(message: string) {
    super(message);
    this.name = "ServiceAccountTokenError";
  }
}

// A token is fetched again this long before it expires, ms.
const RENEW_BEFORE_MS = 30_000;

export class ServiceAccountToken {
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly flights = new SingleFlight<"token", ServiceAccountAccessToken>();
  private cached: { token: ServiceAccountAccessToken; renewAt: number } | undefined;

  constructor(private readonly options: ServiceAccountTokenOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  /** The cached token, or a new one; throws ServiceAccountTokenError. */
  async get(): Promise<ServiceAccountAccessToken> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    return this.flights.run("token", () => this.request());
  }

  /** Forgets the cached token; call when a resource server answered 401 to it. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(): Promise<ServiceAccountAccessToken> {
    const { clientId, clientSecret, scope } = this.options;
    // RFC 6749 §2.3.1: form-encode each part before joining them for Basic.
    const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.options.tokenUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ grant_type: "client_credentials", ...(scope === undefined ? {} : { scope }) }),
        redirect: "error",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new ServiceAccountTokenError(`token endpoint unreachable (${error instanceof Error ? error.name : "network error"})`);
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; scope?: unknown; error?: unknown; expires_in?: unknown };
    if (!response.ok || typeof body.access_token !== "string") {
      // `error` is a code from RFC 6749 §5.2; `error_description` is not echoed.
      const code = typeof body.error === "string" ? ` ${body.error}` : "";
      throw new ServiceAccountTokenError(`client-credentials token refused (${response.status}${code})`);
    }
    const token: ServiceAccountAccessToken = {
      value: body.access_token,
      scopes: typeof body.scope === "string" ? body.scope.split(" ") : [],
    };
    // Without `expires_in` the lifetime is unknown: the token serves this call only.
    const lifetimeMs = typeof body.expires_in === "number" ? body.expires_in * 1000 : 0;
    const renewAt = this.now() + lifetimeMs - RENEW_BEFORE_MS;
    this.cached = renewAt > this.now() ? { token, renewAt } : undefined;
    return token;
  }
}
