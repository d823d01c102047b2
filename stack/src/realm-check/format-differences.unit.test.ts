import { describe, expect, it } from "vitest";
import { formatDifference } from "./format-differences.ts";

describe("formatDifference", () => {
  it("shows what the file says and what is live", () => {
    expect(formatDifference({ path: "accessTokenLifespan", kind: "changed", expected: 300, actual: 3600 })).toBe(
      "changed    accessTokenLifespan: file 300, live 3600",
    );
    expect(formatDifference({ path: "clients[web].redirectUris", kind: "unexpected", actual: ["https://evil.example/*"] })).toBe(
      'unexpected clients[web].redirectUris: ["https://evil.example/*"]',
    );
    expect(formatDifference({ path: "clients[cms]", kind: "missing" })).toBe("missing    clients[cms] (in the file, not live)");
  });

  it("never prints a secret, whether flagged or only named like one", () => {
    const flagged = formatDifference({ path: "clients[web].secret", kind: "changed", expected: "file-secret", actual: "live-secret", secret: true });
    const named = formatDifference({ path: "smtpServer.password", kind: "changed", expected: "p1", actual: "p2" });
    for (const line of [flagged, named]) {
      expect(line).toContain("differs (secret, not shown)");
      expect(line).not.toMatch(/file-secret|live-secret|p1|p2/);
    }
  });
});
