// The receiver registers its own push stream at Keycloak's transmitter (SSF 1.0
// §8.1.1) with a client-credentials token of the `cms` client (scopes
// `ssf.manage ssf.read`). Keycloak keeps one stream per receiver client: an
// existing stream with our push URL, push secret and events is reused (every
// instance of the API lands on the same stream); any other is replaced. The
// token is reused until shortly before it expires
// (../keycloak/service-account-token.ts), so the keeper's frequent status read
// costs Keycloak one GET.
import { ServiceAccountToken, type ServiceAccountAccessToken } from "../keycloak/service-account-token";
import { EVENT_TYPES } from "./interpret-security-event";

export interface StreamRegistrationOptions {
  tokenUrl: string;
  streamsUrl: string;
  verifyUrl: string;
  statusUrl: string;
  clientId: string;
  clientSecret: string;
  pushUrl: string;
  pushSecret: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** A stream's state at the transmitter (SSF 1.0 §8.1.2), or `gone` when it no longer exists. */
export type StreamState = "enabled" | "paused" | "disabled" | "gone";

export interface RegisteredStream {
  streamId: string;
  /** What the transmitter puts in every SET's `aud` (Keycloak 26.7: `<client id>/<stream id>`). */
  audience: string;
  /** Whether an existing stream was kept. */
  reused: boolean;
}

export class StreamRegistrationError extends Error {
  readonly code = "ERR_SSF_STREAM_REGISTRATION";
  constructor(message: string) {
    super(message);
    this.name = "StreamRegistrationError";
  }
}

// RFC 8935 push.
const PUSH_METHOD = "urn:ietf:rfc:8935";
const EVENTS_REQUESTED = [EVENT_TYPES.sessionRevoked, EVENT_TYPES.credentialChange];
const DESCRIPTION = "Strapi API: session and credential revocations";
const STREAM_STATES: readonly StreamState[] = ["enabled", "paused", "disabled"];

interface StreamConfiguration {
  stream_id?: unknown;
  aud?: unknown;
  events_requested?: unknown;
  delivery?: { method?: unknown; endpoint_url?: unknown; authorization_header?: unknown };
}

export class StreamRegistration {
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly serviceAccount: ServiceAccountToken;

  constructor(private readonly options: StreamRegistrationOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.serviceAccount = new ServiceAccountToken({ ...options, scope: "ssf.manage ssf.read" });
  }

  /** Reuses or (re)creates the stream; throws StreamRegistrationError. */
  async register(): Promise<RegisteredStream> {
    const token = await this.token();
    const existing = await this.call<StreamConfiguration[] | StreamConfiguration>(token, "GET", this.options.streamsUrl);
    const streams = Array.isArray(existing) ? existing : existing ? [existing] : [];
    const current = streams[0];
    if (current && this.matches(current)) return { ...this.describe(current), reused: true };
    if (current && typeof current.stream_id === "string") {
      await this.call(token, "DELETE", `${this.options.streamsUrl}?stream_id=${encodeURIComponent(current.stream_id)}`);
    }
    const created = await this.call<StreamConfiguration>(token, "POST", this.options.streamsUrl, {
      delivery: { method: PUSH_METHOD, endpoint_url: this.options.pushUrl, authorization_header: `Bearer ${this.options.pushSecret}` },
      events_requested: EVENTS_REQUESTED,
      description: DESCRIPTION,
    });
    return { ...this.describe(created), reused: false };
  }

  /**
   * Asks the transmitter for a verification event (SSF 1.0 §8.1.4.2).
   * Returns false when Keycloak refuses for its rate limit (another instance asked recently).
   */
  async requestVerification(streamId: string, state: string): Promise<boolean> {
    const token = await this.token();
    const response = await this.send(token, "POST", this.options.verifyUrl, { stream_id: streamId, state });
    await response.body?.cancel();
    if (response.status === 401) this.serviceAccount.invalidate();
    if (response.status === 429) return false;
    if (!response.ok) throw new StreamRegistrationError(`verification request answered ${response.status}`);
    return true;
  }

  /** The stream's status (SSF 1.0 §8.1.2.1); `gone` when the transmitter no longer has it. */
  async status(streamId: string): Promise<StreamState> {
    const token = await this.token();
    const response = await this.send(token, "GET", `${this.options.statusUrl}?stream_id=${encodeURIComponent(streamId)}`);
    if (response.status === 404) {
      await response.body?.cancel();
      return "gone";
    }
    if (!response.ok) {
      await response.body?.cancel();
      if (response.status === 401) this.serviceAccount.invalidate();
      throw new StreamRegistrationError(`status request answered ${response.status}`);
    }
    const body = (await response.json().catch(() => ({}))) as { status?: unknown };
    const state = STREAM_STATES.find((value) => value === body.status);
    if (state === undefined) throw new StreamRegistrationError("the transmitter answered the status request without a known status");
    return state;
  }

  private matches(stream: StreamConfiguration): boolean {
    const requested = Array.isArray(stream.events_requested) ? stream.events_requested : [];
    return (
      stream.delivery?.method === PUSH_METHOD &&
      stream.delivery.endpoint_url === this.options.pushUrl &&
      // Keycloak echoes the header to the receiver that owns the stream.
      stream.delivery.authorization_header === `Bearer ${this.options.pushSecret}` &&
      EVENTS_REQUESTED.every((type) => requested.includes(type))
    );
  }

  private describe(stream: StreamConfiguration): Omit<RegisteredStream, "reused"> {
    if (typeof stream.stream_id !== "string" || stream.stream_id === "") throw new StreamRegistrationError("the transmitter returned a stream without stream_id");
    const audiences = typeof stream.aud === "string" ? [stream.aud] : Array.isArray(stream.aud) ? stream.aud : [];
    const audience = audiences.find((value): value is string => typeof value === "string");
    if (audience === undefined) throw new StreamRegistrationError("the transmitter returned a stream without aud");
    return { streamId: stream.stream_id, audience };
  }

  private async token(): Promise<string> {
    let token: ServiceAccountAccessToken;
    try {
      token = await this.serviceAccount.get();
    } catch (error) {
      throw new StreamRegistrationError(error instanceof Error ? error.message : "token request failed");
    }
    if (!token.scopes.includes("ssf.manage")) {
      throw new StreamRegistrationError(`the ${this.options.clientId} client's token lacks the ssf.manage scope (assign Keycloak's ssf.manage and ssf.read client scopes to it)`);
    }
    return token.value;
  }

  private async call<T>(token: string, method: string, url: string, body?: unknown): Promise<T> {
    const response = await this.send(token, method, url, body);
    const text = await response.text();
    if (response.status === 401) this.serviceAccount.invalidate();
    if (!response.ok) {
      // Keycloak's SSF errors are {error, error_description}; neither carries a secret.
      let reason = "";
      try {
        const parsed = JSON.parse(text) as { error_description?: unknown };
        if (typeof parsed.error_description === "string") reason = `: ${parsed.error_description.slice(0, 200)}`;
      } catch {
        // not JSON
      }
      throw new StreamRegistrationError(`${method} ${new URL(url).pathname} answered ${response.status}${reason}`);
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  private async send(token: string, method: string, url: string, body?: unknown): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "error",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new StreamRegistrationError(`transmitter unreachable (${error instanceof Error ? error.name : "network error"})`);
    }
  }
}
