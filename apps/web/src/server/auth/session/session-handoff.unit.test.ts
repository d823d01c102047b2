import { describe, expect, it } from "vitest";
import { HANDOFF_MAX_AGE_MS, createSessionHandoff } from "./session-handoff";

const claims = { sessionId: "s-1", sid: "kc", sub: "u", name: "A", email: null, username: null };

describe("session hand-off (proxy → render)", () => {
  it("hands on what the proxy found by a random id; the header value carries nothing of the session", () => {
    const handoff = createSessionHandoff();
    const id = handoff.put({ claims, accessToken: "eyJ-access" });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(handoff.take(id)).toEqual({ active: { claims, accessToken: "eyJ-access" } });
    // A render may ask again within the request.
    expect(handoff.take(id)).toEqual({ active: { claims, accessToken: "eyJ-access" } });
    expect(handoff.take(handoff.put(null))).toEqual({ active: null });
    expect(handoff.put(null)).not.toBe(handoff.put(null));
  });

  it("finds nothing for a missing, unknown or stale id, or another process's", () => {
    let now = 1_000_000;
    const handoff = createSessionHandoff({ now: () => now });
    const id = handoff.put({ claims, accessToken: "a" });
    expect(handoff.take(null)).toBeUndefined();
    expect(handoff.take("")).toBeUndefined();
    expect(handoff.take("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(createSessionHandoff().take(id)).toBeUndefined();
    now += HANDOFF_MAX_AGE_MS;
    expect(handoff.take(id)).toBeUndefined();
  });

  it("keeps a bounded number of hand-offs, dropping the oldest first", () => {
    const handoff = createSessionHandoff({ maxEntries: 3 });
    const ids = Array.from({ length: 4 }, () => handoff.put(null));
    expect(handoff.take(ids[0]!)).toBeUndefined();
    expect(ids.slice(1).map((id) => handoff.take(id))).toEqual([{ active: null }, { active: null }, { active: null }]);
  });
});
