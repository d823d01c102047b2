import { describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../../../test/support/memory-token-store";
import { storedSession } from "../../../../test/support/sessions";
import { tokenStoreContract } from "../../../../test/support/token-store-contract";
import { countTokenStoreReads } from "./counting-token-store";

let clock = Date.parse("2026-01-01T00:00:00Z");
const now = () => clock;

// The wrapper must not change what the store does.
tokenStoreContract(
  "countTokenStoreReads(MemoryTokenStore)",
  async () => ({
    store: countTokenStoreReads(new MemoryTokenStore(now)).store,
    advance: async (ms) => {
      clock += ms;
    },
  }),
  now,
);

describe("countTokenStoreReads", () => {
  it("counts get and getSuccessor calls, found or not, and nothing else", async () => {
    const counted = countTokenStoreReads(new MemoryTokenStore(now));
    const session = storedSession(now());
    await counted.store.create(session);
    await counted.store.update(session);
    await counted.store.putSuccessor(session.sessionId, "old-refresh-token", session.tokens, 1000);
    const lock = await counted.store.acquireRefreshLock(session.sessionId, 1000);
    await counted.store.releaseRefreshLock(session.sessionId, lock!);
    expect(counted.reads()).toBe(0);

    expect(await counted.store.get(session.sessionId)).toEqual(session);
    expect(await counted.store.get("no-such-session")).toBeNull();
    expect(await counted.store.getSuccessor(session.sessionId, "old-refresh-token")).toEqual(session.tokens);
    expect(counted.reads()).toBe(3);
    expect(counted.store.kind).toBe("memory");
  });
});
