import { describe, expect, it } from "vitest";
import { openRedirectPayloads } from "@stack/testkit/open-redirect-payloads";
import { safeReturnTo } from "./safe-return-to";

const ORIGIN = "http://localhost:3000";

describe("safeReturnTo", () => {
  it.each([
    ["/notes", "/notes"],
    ["/notes?tab=mine#top", "/notes?tab=mine#top"],
    ["http://localhost:3000/account", "/account"],
    ["notes", "/notes"],
    ["/a/../notes", "/notes"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeReturnTo(input, ORIGIN)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "/.//evil.example",
    "http://localhost:3000@evil.example/",
    "http://localhost:3000.evil.example/",
    "https://localhost:3000/",
    "http://localhost:3001/",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
  ])("refuses the open-redirect payload %j", (payload) => {
    const result = safeReturnTo(payload, ORIGIN);
    expect(result).toBe("/");
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
  });

  it("refuses non-strings, empty and oversized input, using the given fallback", () => {
    expect(safeReturnTo(undefined, ORIGIN)).toBe("/");
    expect(safeReturnTo(["/notes"], ORIGIN)).toBe("/");
    expect(safeReturnTo("", ORIGIN, "/notes")).toBe("/notes");
    expect(safeReturnTo(`/${"a".repeat(3000)}`, ORIGIN)).toBe("/");
  });

  it("every accepted result stays on the origin when a browser resolves it", () => {
    for (const input of ["/x", "/%2F%2Fevil.example", "/%5Cevil.example", "/..//evil.example", "?q=1", "#frag", "http:evil.example", "http:/evil.example"]) {
      const result = safeReturnTo(input, ORIGIN);
      expect(result.startsWith("//")).toBe(false);
      expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    }
  });

  it("escapes `[` and `]`, which Next's router reads as a dynamic segment (`http:[::1]` was a 500 on a <Link>)", () => {
    expect(safeReturnTo("http:[::216.58.214.206]", ORIGIN)).toBe("/%5B::216.58.214.206%5D");
    expect(safeReturnTo("/notes/[documentId]/edit?x=[1]", ORIGIN)).toBe("/notes/%5BdocumentId%5D/edit?x=[1]");
  });

  it.each(openRedirectPayloads(ORIGIN))("the corpus payload %j becomes an inert path on the origin", (payload) => {
    const result = safeReturnTo(payload, ORIGIN);
    expect(result.startsWith("/")).toBe(true);
    expect(result.startsWith("//") || result.startsWith("/\\")).toBe(false);
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    expect(new URL(result, ORIGIN).pathname).not.toMatch(/[[\]]/);
  });
});
