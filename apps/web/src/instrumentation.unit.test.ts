import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "./instrumentation";

// The config check reads the real environment: the unit tier runs without the web app's variables.
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("instrumentation", () => {
  it("in the Edge runtime does nothing (no process.exit, no config read)", async () => {
    vi.stubEnv("NEXT_RUNTIME", "edge");
    vi.stubEnv("WEB_URL", "");
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    await register();
    expect(exit).not.toHaveBeenCalled();
  });

  it("in the Node.js runtime stops the server on a bad environment, listing the problems", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("WEB_URL", "not a url");
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    await register();
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(printed.mock.calls[0]?.[0])).toContain("Invalid web app configuration");
  });
});
