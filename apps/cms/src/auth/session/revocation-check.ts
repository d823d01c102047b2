// The strategy's per-request revocation check (KEYCLOAK_REVOCATION):
//   ssf            a memory lookup in the revocation set Keycloak's pushes fill;
//                  introspection as well while the stream is unhealthy, and, with
//                  KEYCLOAK_SSF_INTROSPECTION_BACKSTOP=true (off by default), always;
//                  after an outage of the stream, also for tokens issued before it
//                  healed, whose revocation may have been dropped meanwhile
//                  (docs/decisions/0057-stream-status-read-and-catch-up.md),
//                  and for tokens issued in the very second every session of
//                  their user ended (docs/decisions/0050-revocation-by-shared-signals.md)
//   introspection  one introspection per session per window (session-liveness-check.ts)
//   off            nothing (insecure)
import type { VerifiedAccessToken } from "@stack/keycloak-tokens";
import type { RevocationMode } from "../../cms-config";
import { AuthError } from "../token/auth-error";
import type { Revocation } from "./revocation-store";

export interface RevocationCheckOptions {
  mode: RevocationMode;
  introspection: { check(token: VerifiedAccessToken<unknown>, isRead: boolean): Promise<void> };
  store: { readonly loaded: boolean; revocationOf(sub: string, sid: string | undefined, iat: number): Revocation | undefined };
  stream: { readonly healthy: boolean; /** Epoch ms the stream last healed after an outage; 0 before any. */ readonly resumedAt: number };
  /** Introspect even while the stream is healthy. */
  introspectionBackstop: boolean;
}

export class RevocationCheck {
  constructor(private readonly options: RevocationCheckOptions) {}

  /** Whether requests are checked against the pushed revocation set alone (no network call). */
  get pushed(): boolean {
    return this.options.mode === "ssf" && this.options.store.loaded && this.options.stream.healthy;
  }

  async check(token: VerifiedAccessToken<unknown>, isRead: boolean): Promise<void> {
    const { mode, store } = this.options;
    const { claims } = token;
    if (mode === "off") return;
    if (mode === "ssf") {
      const revocation = store.loaded ? store.revocationOf(claims.sub, claims.sid, claims.iat) : undefined;
      if (revocation === "revoked") throw new AuthError("session_revoked");
      // A token issued in the second the stream healed counts as issued before.
      const settled = revocation === undefined && claims.iat * 1000 > this.options.stream.resumedAt;
      if (this.pushed && !this.options.introspectionBackstop && settled) return;
    }
    await this.options.introspection.check(token, isRead);
  }
}
