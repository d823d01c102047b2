import { describe, expect, it } from "vitest";
import { HANDOFF_MAX_AGE_MS, createSessionHandoff } from "./session-handoff";

const SECRET = "handoff-secret-0123456789abcdef0123456789";
const claims = { sessionId: "s-1", sid: "kc", sub: "u", name: "A", email: null, username: null };

describe("session hand-off (proxy → render)", () => {
  it("round-trips what the proxy found, sealed", () => {
    const handoff = createSessionHandoff(SECRET);
    const sealed = handoff.seal({ claims, accessToken: "eyJ-access" });
    expect(sealed).not.toContain("eyJ-access");
    expect(handoff.open(sealed)).toEqual({ active: { claims, accessToken: "eyJ-access" } });
    expect(handoff.open(handoff.seal(null))).toEqual({ active: null });
  });

  it("ignores a missing, forged, foreign, or stale value", () => {
    let now = 1_000_000;
    const handoff = createSessionHandoff(SECRET, () => now);
    const sealed = handoff.seal({ claims, accessToken: "a" });
    expect(handoff.open(null)).toBeUndefined();
    expect(handoff.open("v1.a.b.c")).toBeUndefined();
    expect(createSessionHandoff("another-secret-0123456789abcdef0123456").open(sealed)).toBeUndefined();
    now += HANDOFF_MAX_AGE_MS + 1;
    expect(handoff.open(sealed)).toBeUndefined();
  });
});
