import { describe, expect, it } from "vitest";
import { parseCliConfig } from "./cli-config.ts";
import { apiEndpoint } from "./notes-api.ts";

describe("apiEndpoint", () => {
  it.each([
    ["http://localhost:1337", "http://localhost:1337/api/notes"],
    ["http://localhost:1337/", "http://localhost:1337/api/notes"],
    ["https://example.com/cms", "https://example.com/cms/api/notes"],
    ["https://example.com/cms/", "https://example.com/cms/api/notes"],
  ])("appends the route to %s", (base, expected) => {
    const { apiUrl } = parseCliConfig(["notes", "list", "--api-url", base], { HOME: "/home/dev" });
    expect(apiEndpoint(apiUrl, "/api/notes").href).toBe(expected);
  });
});
