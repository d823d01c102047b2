import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers";

const asObject = (webUrl?: string) => Object.fromEntries(securityHeaders(webUrl).map(({ key, value }) => [key, value]));

describe("security headers", () => {
  it("forbid framing, sniffing and cross-origin full referrers on every response", () => {
    const headers = asObject("http://localhost:3000");
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers).not.toHaveProperty("Strict-Transport-Security");
  });

  it("add HSTS when the app is served over https", () => {
    expect(asObject("https://app.example.com")["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(asObject()).not.toHaveProperty("Strict-Transport-Security");
  });
});
