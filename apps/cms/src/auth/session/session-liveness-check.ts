// A signature proves who issued a token, not that its session still exists: an
// admin logout, a user's "sign out everywhere" or a disabled account leave the
// token valid until `exp`. This asks Keycloak (RFC 7662 introspection) whether
// the token is still active, and trusts a positive answer for the revocation
// window per session (`sid`), so the cost is one call per session per window.
//
// Caching: a confirmation is stored per `sid` (the session is what gets
// revoked); a refusal is stored per token (`jti`), because Keycloak also
// refuses a single token for token-specific reasons (expired in its clock,
// issued before a not-before policy) that must not condemn the session's newer
// tokens.
import { SingleFlight, TtlCache, type VerifiedAccessToken } from "@stack/keycloak-tokens";
import type { IntrospectionUnreachablePolicy } from "../../cms-config";
import { AuthError } from "../token/auth-error";

export interface SessionLivenessOptions {
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** How long a confirmation is trusted, ms; 0 turns the check off. */
  windowMs: number;
  unreachablePolicy: IntrospectionUnreachablePolicy;
  /** With `reads-open`: the oldest confirmation (or `iat`) a read may rely on, ms. */
  maxStalenessMs: number;
  timeoutMs: number;
  maxEntries: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Called once per failed introspection; never receives the token. */
  onUnreachable?: (reason: string) => void;
}

type Introspection = { reachable: true; active: boolean } | { reachable: false; reason: string };

export class SessionLivenessCheck {
  /** sid → epoch ms of the last positive answer. */
  private readonly confirmed: TtlCache<string, number>;
  /** token id → true, until the token expires. */
  private readonly refused: TtlCache<string, true>;
  private readonly flights = new SingleFlight<string, Introspection>();
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly authorization: string;

  constructor(private readonly options: SessionLivenessOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    // Kept for the fail-open staleness rule, which looks further back than the window.
    const keepMs = Math.max(options.windowMs, options.maxStalenessMs);
    this.confirmed = new TtlCache({ maxEntries: options.maxEntries, ttlMs: keepMs, now: this.now });
    this.refused = new TtlCache({ maxEntries: options.maxEntries, ttlMs: keepMs, now: this.now });
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    const credentials = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }

  get enabled(): boolean {
    return this.options.windowMs > 0;
  }

  /** Resolves when the token's session is live; throws AuthError otherwise. */
  async check(verified: VerifiedAccessToken<unknown>, isRead: boolean): Promise<void> {
    if (!this.enabled) return;
    const now = this.now();
    const { token, claims } = verified;
    // A refusal is kept per token (its jti, or its hash), a confirmation per
    // session (or per token when it names none): the verified token's keys,
    // worked out once per token.
    const tokenId = verified.tokenId;
    const sessionId = verified.sessionKey;

    if (this.refused.get(tokenId)) throw new AuthError("session_revoked");
    const confirmedAt = this.confirmed.get(sessionId);
    if (confirmedAt !== undefined && now - confirmedAt < this.options.windowMs) return;

    const answer = await this.flights.run(tokenId, () => this.introspect(token));
    if (answer.reachable) {
      if (answer.active) {
        this.confirmed.set(sessionId, this.now());
        return;
      }
      this.confirmed.delete(sessionId);
      this.refused.set(tokenId, true, Math.max(1000, claims.exp * 1000 - now + 60_000));
      throw new AuthError("session_revoked");
    }

    this.options.onUnreachable?.(answer.reason);
    switch (this.options.unreachablePolicy) {
      case "open":
        return;
      case "reads-open": {
        // The session was known live at its last confirmation, or at least when
        // Keycloak issued this token.
        const lastKnownLive = Math.max(confirmedAt ?? 0, claims.iat * 1000);
        if (isRead && now - lastKnownLive <= this.options.maxStalenessMs) return;
        throw new AuthError("revocation_check_unavailable");
      }
      case "closed":
        throw new AuthError("revocation_check_unavailable");
    }
  }

  private async introspect(token: string): Promise<Introspection> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.options.introspectionUrl, {
        method: "POST",
        headers: {
          authorization: this.authorization,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        redirect: "error",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return { reachable: false, reason: error instanceof Error ? error.name : "network error" };
    }
    if (!response.ok) {
      // 401 here means our own client credentials are wrong: a configuration
      // problem, reported as unreachable so the policy (not the user) decides.
      await response.body?.cancel();
      return { reachable: false, reason: `introspection answered ${response.status}` };
    }
    try {
      const body = (await response.json()) as { active?: unknown };
      // RFC 7662 §2.2: `active` is the only required member; anything but true is inactive.
      return { reachable: true, active: body.active === true };
    } catch {
      return { reachable: false, reason: "introspection answered with invalid JSON" };
    }
  }
}
