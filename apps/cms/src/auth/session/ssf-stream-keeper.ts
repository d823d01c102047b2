// Keeps this instance's view of the push stream: registers it (retrying while
// Keycloak starts or the receiver scopes are not assigned yet), reads its
// status on a short interval, asks for a verification event on a long one, and
// says whether the stream is healthy: registered, `enabled` at the last status
// read, and a verification event received (by any instance: they are stored in
// the revocation table) within the interval plus a timeout. While it is not,
// the revocation check falls back to introspection. The status read is what
// notices a stream deleted, paused or disabled in Keycloak within seconds
// instead of at the next verification; a transmitter that does not answer keeps
// the last known state (docs/decisions/0057-stream-status-read-and-catch-up.md).
import { randomUUID } from "node:crypto";
import type { RegisteredStream, StreamRegistration, StreamState } from "./ssf-stream-registration";

export interface StreamKeeperOptions {
  registration: Pick<StreamRegistration, "register" | "requestVerification" | "status">;
  /** Epoch ms of the newest verification event any instance received. */
  verifiedAt: () => number | undefined;
  verifyIntervalMs: number;
  verifyTimeoutMs: number;
  /** How often the stream's status is read, ms. */
  statusIntervalMs: number;
  now?: () => number;
  /** Called on every change of health, with the reason; never with a secret. */
  onHealthChange?: (healthy: boolean, reason: string) => void;
  onRegistered?: (stream: RegisteredStream) => void;
  onError?: (message: string) => void;
}

// Retry delays while Keycloak is not there yet, ms.
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;
// How often health is re-evaluated, ms.
const TICK_MS = 1000;
// A SET for an audience we do not know makes us re-read the stream at most this often, ms.
const RECHECK_MIN_INTERVAL_MS = 10_000;

export class SsfStreamKeeper {
  private stream: RegisteredStream | undefined;
  private registering: Promise<void> | undefined;
  private retryMs = RETRY_MIN_MS;
  private nextRegistrationAt = 0;
  private lastVerificationRequest = 0;
  private lastRecheck = 0;
  private recheckWanted = false;
  /** A stream we created counts as verified only by an event received after its creation, epoch ms. */
  private verifiedSince = 0;
  private wasHealthy = false;
  private everHealthy = false;
  /**
   * Events may have been dropped since the stream was last healthy: it was unhealthy at a tick, or
   * it was replaced (a new stream can be verified within the tick that noticed the old one gone).
   */
  private outage = false;
  /** The stream's state at the last status read that answered; `unknown` before one did. */
  private state: StreamState | "unknown" = "unknown";
  private lastStatusRead = 0;
  private resumed = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: StreamKeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The `aud` the transmitter puts in our SETs; undefined until registered. */
  get audience(): string | undefined {
    return this.stream?.audience;
  }

  /**
   * Epoch ms at which the stream last became healthy again after an outage (0 before any): events
   * of the outage may have been dropped (a deleted or disabled stream, an undeliverable push).
   */
  get resumedAt(): number {
    return this.resumed;
  }

  get healthy(): boolean {
    if (!this.stream || this.state !== "enabled") return false;
    const verifiedAt = this.options.verifiedAt();
    return (
      verifiedAt !== undefined &&
      verifiedAt >= this.verifiedSince &&
      this.now() - verifiedAt <= this.options.verifyIntervalMs + this.options.verifyTimeoutMs
    );
  }

  /** For the health output: what this instance knows about the stream. */
  describe(): { registered: boolean; streamId: string | undefined; state: StreamState | "unknown"; healthy: boolean; lastVerificationAt: number | undefined; resumedAt: number } {
    return {
      registered: this.stream !== undefined,
      streamId: this.stream?.streamId,
      state: this.state,
      healthy: this.healthy,
      lastVerificationAt: this.options.verifiedAt(),
      resumedAt: this.resumed,
    };
  }

  /** A SET named an audience we do not know: another instance may have replaced the stream. */
  recheck(): void {
    const now = this.now();
    if (now - this.lastRecheck < RECHECK_MIN_INTERVAL_MS) return;
    this.lastRecheck = now;
    // The known stream stays in use until the re-read returns.
    this.recheckWanted = true;
  }

  private async tick(): Promise<void> {
    const now = this.now();
    if ((!this.stream || this.recheckWanted) && !this.registering && now >= this.nextRegistrationAt) {
      this.recheckWanted = false;
      this.registering = this.register().finally(() => (this.registering = undefined));
      await this.registering;
    }
    if (this.stream) await this.readStatusIfDue();
    if (this.stream && this.state === "enabled") await this.verifyIfDue();
    const healthy = this.healthy;
    if (!healthy) this.outage = true;
    if (healthy && this.outage) {
      if (this.everHealthy) this.resumed = this.now();
      this.outage = false;
    }
    if (healthy) this.everHealthy = true;
    if (healthy !== this.wasHealthy) {
      this.wasHealthy = healthy;
      // No verification event in time: perhaps the stream was replaced; re-read it.
      if (!healthy && this.stream && this.state === "enabled") this.recheckWanted = true;
      this.options.onHealthChange?.(healthy, healthy ? "verification event received, stream enabled" : this.unhealthyReason());
    }
  }

  private unhealthyReason(): string {
    if (!this.stream) return "stream not registered";
    switch (this.state) {
      case "gone":
        return "stream gone in Keycloak; registering it again";
      case "paused":
      case "disabled":
        return `stream ${this.state} in Keycloak`;
      case "unknown":
        return "the transmitter has not answered a stream status request yet";
      case "enabled":
        return "no verification event received in time";
    }
  }

  private async readStatusIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastStatusRead < this.options.statusIntervalMs) return;
    this.lastStatusRead = now;
    try {
      this.state = await this.options.registration.status(this.stream!.streamId);
    } catch (error) {
      // A transmitter that does not answer cannot be introspected either: falling back would turn a
      // Keycloak outage into refused requests. The last known state stands; a lasting outage still
      // ends health when no verification event arrives in time.
      this.options.onError?.(`stream status request failed (${error instanceof Error ? error.message : "unknown error"})`);
      return;
    }
    // Deleted in Keycloak (through the SSF API or the admin console): create it again.
    if (this.state === "gone") this.recheckWanted = true;
  }

  private async register(): Promise<void> {
    try {
      const stream = await this.options.registration.register();
      this.retryMs = RETRY_MIN_MS;
      // A new stream is verified at once.
      if (!stream.reused) this.verifiedSince = this.now();
      if (stream.streamId !== this.stream?.streamId) this.lastVerificationRequest = 0;
      // Replaced: whatever happened while the old stream was gone was pushed to nobody.
      if (this.stream && stream.streamId !== this.stream.streamId) this.outage = true;
      this.stream = stream;
      // Its status is read in the same tick.
      this.lastStatusRead = 0;
      this.options.onRegistered?.(this.stream);
    } catch (error) {
      this.nextRegistrationAt = this.now() + this.retryMs;
      this.options.onError?.(`stream registration failed (${error instanceof Error ? error.message : "unknown error"}); retrying in ${Math.round(this.retryMs / 1000)} s`);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    }
  }

  private async verifyIfDue(): Promise<void> {
    const now = this.now();
    const verifiedAt = this.options.verifiedAt() ?? 0;
    if (verifiedAt >= this.verifiedSince && now - verifiedAt < this.options.verifyIntervalMs) return;
    // One request per timeout window at most, so an unanswered one is not repeated at every tick.
    if (now - this.lastVerificationRequest < this.options.verifyTimeoutMs) return;
    this.lastVerificationRequest = now;
    try {
      await this.options.registration.requestVerification(this.stream!.streamId, randomUUID());
    } catch (error) {
      // The stream may have vanished in Keycloak (deleted through the SSF API or
      // the admin console): re-read it, and create it again if it is gone.
      this.recheckWanted = true;
      this.options.onError?.(`verification request failed (${error instanceof Error ? error.message : "unknown error"}); re-reading the stream`);
    }
  }
}
