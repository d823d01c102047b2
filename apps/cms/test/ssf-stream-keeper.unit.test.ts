// The stream keeper with a fake transmitter: a stream that vanished in Keycloak
// (deleted through the SSF API or the admin console) is registered again, and
// the keeper is healthy again once the new stream's verification arrives.
import { afterEach, expect, it, vi } from "vitest";
import { SsfStreamKeeper } from "../src/auth/session/ssf-stream-keeper";
import { StreamRegistrationError, type RegisteredStream } from "../src/auth/session/ssf-stream-registration";

afterEach(() => vi.useRealTimers());

/** A transmitter holding at most one stream, like Keycloak's. */
function fakeTransmitter() {
  let streams = 0;
  let current: string | undefined;
  let verifiedAt: number | undefined;
  const registration = {
    register: vi.fn(async (): Promise<RegisteredStream> => {
      if (current) return { streamId: current, audience: `cms/${current}`, reused: true };
      current = `stream-${++streams}`;
      return { streamId: current, audience: `cms/${current}`, reused: false };
    }),
    requestVerification: vi.fn(async (streamId: string): Promise<boolean> => {
      if (streamId !== current) throw new StreamRegistrationError("verification request answered 404");
      // The verification event arrives (through the push route and the table) at once.
      verifiedAt = Date.now();
      return true;
    }),
  };
  return {
    registration,
    verifiedAt: () => verifiedAt,
    deleteStream: () => (current = undefined),
    get current() {
      return current;
    },
  };
}

it("re-registers a stream deleted in Keycloak, falls back meanwhile, and is healthy again on the new stream", async () => {
  vi.useFakeTimers({ now: 1_900_000_000_000 });
  const transmitter = fakeTransmitter();
  const health: string[] = [];
  const keeper = new SsfStreamKeeper({
    registration: transmitter.registration,
    verifiedAt: transmitter.verifiedAt,
    verifyIntervalMs: 10_000,
    verifyTimeoutMs: 2_000,
    onHealthChange: (healthy, reason) => health.push(`${healthy ? "healthy" : "unhealthy"}: ${reason}`),
  });
  keeper.start();
  await vi.advanceTimersByTimeAsync(1500);
  expect(keeper.healthy).toBe(true);
  expect(keeper.audience).toBe("cms/stream-1");

  transmitter.deleteStream();
  // The next verification (due after the interval) is answered 404; the stream is re-read and created again.
  await vi.advanceTimersByTimeAsync(15_000);
  expect(transmitter.current).toBe("stream-2");
  expect(keeper.audience).toBe("cms/stream-2");
  await vi.advanceTimersByTimeAsync(3000);
  expect(keeper.healthy).toBe(true);
  expect(health[0]).toBe("healthy: verification event received");
  expect(transmitter.registration.register.mock.calls.length).toBeGreaterThanOrEqual(2);
  keeper.stop();
});

it("a stream that stops answering verifications is re-read (and replaced when gone) once the keeper turns unhealthy", async () => {
  vi.useFakeTimers({ now: 1_900_000_000_000 });
  const transmitter = fakeTransmitter();
  let silent = false;
  const verify = transmitter.registration.requestVerification.getMockImplementation()!;
  // The transmitter accepts the request but no event arrives (receiver URL cut, stream gone silently).
  transmitter.registration.requestVerification.mockImplementation(async (streamId) => (silent ? true : verify(streamId)));
  const health: boolean[] = [];
  const keeper = new SsfStreamKeeper({
    registration: transmitter.registration,
    verifiedAt: transmitter.verifiedAt,
    verifyIntervalMs: 10_000,
    verifyTimeoutMs: 2_000,
    onHealthChange: (healthy) => health.push(healthy),
  });
  keeper.start();
  await vi.advanceTimersByTimeAsync(1500);
  expect(keeper.healthy).toBe(true);
  const registrations = transmitter.registration.register.mock.calls.length;
  silent = true;
  await vi.advanceTimersByTimeAsync(14_000);
  expect(keeper.healthy).toBe(false);
  expect(health).toEqual([true, false]);
  await vi.advanceTimersByTimeAsync(2000);
  expect(transmitter.registration.register.mock.calls.length).toBeGreaterThan(registrations);
  silent = false;
  await vi.advanceTimersByTimeAsync(4000);
  expect(keeper.healthy).toBe(true);
  expect(health).toEqual([true, false, true]);
  keeper.stop();
});
