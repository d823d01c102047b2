import { describe, expect, it } from "vitest";
import { SingleFlight } from "../src/single-flight.ts";

describe("single flight", () => {
  it("runs one call per key while it is in flight and shares its result", async () => {
    const flights = new SingleFlight<string, number>();
    let calls = 0;
    let release!: (value: number) => void;
    const call = () => {
      calls += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const results = Promise.all(Array.from({ length: 10 }, () => flights.run("a", call)));
    expect(calls).toBe(1);
    release(42);
    expect(await results).toEqual(Array(10).fill(42));
    expect(flights.size).toBe(0);
  });

  it("keeps keys apart and starts a new call after the previous one settled, also after a failure", async () => {
    const flights = new SingleFlight<string, string>();
    let calls = 0;
    const ok = (value: string) => async () => {
      calls += 1;
      return value;
    };
    expect(await Promise.all([flights.run("a", ok("a")), flights.run("b", ok("b"))])).toEqual(["a", "b"]);
    await expect(
      flights.run("a", async () => {
        calls += 1;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await flights.run("a", ok("again"))).toBe("again");
    expect(calls).toBe(4);
  });
});
