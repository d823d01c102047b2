import { describe, expect, it } from "vitest";
import { pairedRatios } from "./paired-ratios.ts";

describe("pairedRatios", () => {
  it("divides round by round, rounds to two decimals and summarises", () => {
    expect(pairedRatios([90, 200, 95], [100, 200, 100])).toEqual({ min: 0.9, median: 0.95, max: 1, n: 3 });
    expect(pairedRatios([1], [3])).toEqual({ min: 0.33, median: 0.33, max: 0.33, n: 1 });
  });

  it("refuses lists of different lengths and a zero denominator", () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(TypeError);
    expect(() => pairedRatios([1], [0])).toThrow(TypeError);
  });
});
