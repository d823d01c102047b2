import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin";

describe("isSameOrigin", () => {
  const webUrl = "https://app.example.com";
  it("accepts exactly the app's origin", () => {
    expect(isSameOrigin(new Headers({ origin: "https://app.example.com" }), webUrl)).toBe(true);
  });
  it("refuses another origin, a look-alike, null and a missing Origin", () => {
    for (const origin of ["https://evil.example", "https://app.example.com.evil.example", "http://app.example.com", "null"]) {
      expect(isSameOrigin(new Headers({ origin }), webUrl), origin).toBe(false);
    }
    expect(isSameOrigin(new Headers(), webUrl)).toBe(false);
  });
});
