import { describe, expect, it } from "vitest";
import { percentile } from "./percentile.ts";

describe("percentile (nearest rank)", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);

  it("returns observed values", () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([1, 2, 3], 90)).toBe(3);
  });

  it("refuses an empty list and percentiles outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(TypeError);
    expect(() => percentile(sorted, 0)).toThrow(TypeError);
    expect(() => percentile(sorted, 101)).toThrow(TypeError);
  });
});
