import { describe, expect, it } from "vitest";
import { isPageNavigation } from "./page-navigation";

const request = (headers: Record<string, string>) => new Request("http://web/sign-in?returnTo=/notes", { headers });

describe("isPageNavigation", () => {
  it("accepts a browser's page load and clients that send no fetch metadata", () => {
    expect(isPageNavigation(request({ "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" }))).toBe(true);
    expect(isPageNavigation(request({}))).toBe(true);
  });

  it("refuses Next.js prefetches, RSC fetches and script fetches, which must not start a sign-in", () => {
    expect(isPageNavigation(request({ rsc: "1", "next-router-prefetch": "1", "sec-fetch-dest": "empty" }))).toBe(false);
    expect(isPageNavigation(request({ rsc: "1" }))).toBe(false);
    expect(isPageNavigation(request({ purpose: "prefetch" }))).toBe(false);
    expect(isPageNavigation(request({ "sec-fetch-dest": "empty", "sec-fetch-mode": "cors" }))).toBe(false);
    expect(isPageNavigation(request({ "sec-fetch-dest": "iframe" }))).toBe(false);
  });
});
