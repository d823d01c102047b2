import { describe, expect, it } from "vitest";
import { summarize } from "./summarize.ts";

describe("summarize", () => {
  it("gives min, median and max of an odd and an even count", () => {
    expect(summarize([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, n: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, n: 4 });
  });

  it("refuses an empty list and non-finite values", () => {
    expect(() => summarize([])).toThrow(TypeError);
    expect(() => summarize([1, Number.NaN])).toThrow(TypeError);
  });
});
