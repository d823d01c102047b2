import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SsfStreamKeeper } from "../src/auth/session/ssf-stream-keeper";
import { StreamRegistrationError, type RegisteredStream } from "../src/auth/session/ssf-stream-registration";

// A transmitter with one stream slot, as Keycloak keeps per receiver client.
function transmitter() {
  const state = {
    stream: undefined as string | undefined,
    created: 0,
    registerCalls: 0,
    /** Whether a verification request leads to a verification event. */
    answers: true,
    verifiedAt: undefined as number | undefined,
  };
  const registration = {
    register: vi.fn(async (): Promise<RegisteredStream> => {
      state.registerCalls += 1;
      if (state.stream) return { streamId: state.stream, audience: `cms/${state.stream}`, reused: true };
      state.created += 1;
      state.stream = `stream-${state.created}`;
      return { streamId: state.stream, audience: `cms/${state.stream}`, reused: false };
    }),
    requestVerification: vi.fn(async (streamId: string): Promise<boolean> => {
      if (streamId !== state.stream) throw new StreamRegistrationError("verification request answered 404");
      if (state.answers) state.verifiedAt = Date.now();
      return true;
    }),
  };
  return { state, registration };
}

function keeperFor(t: ReturnType<typeof transmitter>) {
  const health: Array<[boolean, string]> = [];
  const registered: string[] = [];
  const errors: string[] = [];
  const keeper = new SsfStreamKeeper({
    registration: t.registration,
    verifiedAt: () => t.state.verifiedAt,
    verifyIntervalMs: 5000,
    verifyTimeoutMs: 2000,
    onHealthChange: (healthy, reason) => health.push([healthy, reason]),
    onRegistered: (stream) => registered.push(stream.streamId),
    onError: (message) => errors.push(message),
  });
  return { keeper, health, registered, errors };
}

describe("SsfStreamKeeper", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("registers a stream, asks for verification and becomes healthy", async () => {
    const t = transmitter();
    const { keeper, health, registered } = keeperFor(t);
    keeper.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(registered).toEqual(["stream-1"]);
    expect(keeper.audience).toBe("cms/stream-1");
    expect(keeper.healthy).toBe(true);
    expect(health).toEqual([[true, "verification event received"]]);
    keeper.stop();
  });

  it("re-registers a stream deleted at the transmitter: the refused verification request makes it re-read the stream", async () => {
    const t = transmitter();
    const { keeper, health, registered, errors } = keeperFor(t);
    keeper.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(keeper.healthy).toBe(true);

    // Deleted through the SSF API or the admin console.
    t.state.stream = undefined;
    // The next verification request (due after the interval) is refused; the stream is re-read and re-created.
    await vi.advanceTimersByTimeAsync(8000);
    expect(errors.some((message) => message.includes("verification request failed (verification request answered 404)"))).toBe(true);
    expect(registered).toEqual(["stream-1", "stream-2"]);
    expect(keeper.audience).toBe("cms/stream-2");
    await vi.advanceTimersByTimeAsync(1000);
    expect(keeper.healthy).toBe(true);
    expect(keeper.describe()).toMatchObject({ registered: true, streamId: "stream-2", healthy: true });
    expect(health.at(-1)).toEqual([true, "verification event received"]);
    keeper.stop();
  });

  it("an old verification event does not make a re-created stream healthy", async () => {
    const t = transmitter();
    const { keeper } = keeperFor(t);
    keeper.start();
    await vi.advanceTimersByTimeAsync(1000);
    t.state.stream = undefined;
    // The receiver stops answering: the new stream's verification never arrives.
    t.state.answers = false;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(keeper.describe()).toMatchObject({ registered: true, streamId: "stream-2", healthy: false });
    keeper.stop();
  });

  it("a stream whose verification events stop arriving is re-read at most every 10 s, and kept when it still exists", async () => {
    const t = transmitter();
    const { keeper, registered } = keeperFor(t);
    keeper.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.state.registerCalls).toBe(1);
    t.state.answers = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(keeper.healthy).toBe(false);
    // Unhealthy from ~8 s on; re-read then and every 10 s after: 3 or 4 re-reads in 30 s, never one per tick.
    expect(t.state.registerCalls).toBeGreaterThanOrEqual(3);
    expect(t.state.registerCalls).toBeLessThanOrEqual(5);
    expect(registered.every((id) => id === "stream-1")).toBe(true);
    t.state.answers = true;
    await vi.advanceTimersByTimeAsync(5000);
    expect(keeper.healthy).toBe(true);
    keeper.stop();
  });

  it("retries registration while the transmitter is unreachable, and says so", async () => {
    const t = transmitter();
    t.registration.register.mockRejectedValueOnce(new StreamRegistrationError("transmitter unreachable (TypeError)"));
    const { keeper, errors, registered } = keeperFor(t);
    keeper.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(keeper.healthy).toBe(false);
    expect(errors[0]).toBe("stream registration failed (transmitter unreachable (TypeError)); retrying in 1 s");
    await vi.advanceTimersByTimeAsync(2000);
    expect(registered).toEqual(["stream-1"]);
    expect(keeper.healthy).toBe(true);
    keeper.stop();
  });
});
