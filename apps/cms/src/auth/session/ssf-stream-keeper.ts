// Keeps this instance's view of the push stream: registers it (retrying while
// Keycloak starts or the receiver scopes are not assigned yet), asks for a
// verification event on an interval, and says whether the stream is healthy:
// registered, and a verification event received (by any instance: they are
// stored in the revocation table) within the interval plus a timeout. While it
// is not, the revocation check falls back to introspection.
import { randomUUID } from "node:crypto";
import type { RegisteredStream, StreamRegistration } from "./ssf-stream-registration";

export interface StreamKeeperOptions {
  registration: Pick<StreamRegistration, "register" | "requestVerification">;
  /** Epoch ms of the newest verification event any instance received. */
  verifiedAt: () => number | undefined;
  verifyIntervalMs: number;
  verifyTimeoutMs: number;
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

  get healthy(): boolean {
    if (!this.stream) return false;
    const verifiedAt = this.options.verifiedAt();
    return (
      verifiedAt !== undefined &&
      verifiedAt >= this.verifiedSince &&
      this.now() - verifiedAt <= this.options.verifyIntervalMs + this.options.verifyTimeoutMs
    );
  }

  /** For the health output: what this instance knows about the stream. */
  describe(): { registered: boolean; streamId: string | undefined; healthy: boolean; lastVerificationAt: number | undefined } {
    return { registered: this.stream !== undefined, streamId: this.stream?.streamId, healthy: this.healthy, lastVerificationAt: this.options.verifiedAt() };
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
    if (this.stream) await this.verifyIfDue();
    const healthy = this.healthy;
    if (healthy !== this.wasHealthy) {
      this.wasHealthy = healthy;
      // No verification event in time: perhaps the stream is gone or was replaced; re-read it.
      if (!healthy && this.stream) this.recheckWanted = true;
      this.options.onHealthChange?.(
        healthy,
        healthy ? "verification event received" : this.stream ? "no verification event received in time" : "stream not registered",
      );
    }
  }

  private async register(): Promise<void> {
    try {
      const stream = await this.options.registration.register();
      this.retryMs = RETRY_MIN_MS;
      // A new stream is verified at once.
      if (!stream.reused) this.verifiedSince = this.now();
      if (stream.streamId !== this.stream?.streamId) this.lastVerificationRequest = 0;
      this.stream = stream;
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
