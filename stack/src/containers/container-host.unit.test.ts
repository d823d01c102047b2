import { describe, expect, it } from "vitest";
import { hostFromContainer, urlFromContainer } from "./container-host.ts";

describe("container host", () => {
  it("turns this machine's loopback URLs into the host gateway, and leaves others alone", () => {
    expect(urlFromContainer("http://localhost:13000")).toBe("http://host.docker.internal:13000");
    expect(urlFromContainer("http://127.0.0.1:13000/api")).toBe("http://host.docker.internal:13000/api");
    expect(urlFromContainer("http://localhost:13000/")).toBe("http://host.docker.internal:13000/");
    expect(urlFromContainer("https://app.example.com")).toBe("https://app.example.com");
  });

  it("does the same for bare host names", () => {
    expect(hostFromContainer("localhost")).toBe("host.docker.internal");
    expect(hostFromContainer("127.0.0.1")).toBe("host.docker.internal");
    expect(hostFromContainer("db.internal")).toBe("db.internal");
  });
});
