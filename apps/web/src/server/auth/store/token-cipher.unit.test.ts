import { describe, expect, it } from "vitest";
import { createTokenCipher } from "./token-cipher";

describe("token cipher", () => {
  const cipher = createTokenCipher("a-secret-of-at-least-thirty-two-characters");

  it("round-trips values and hides them", () => {
    const sealed = cipher.seal({ refreshToken: "eyJ-refresh" });
    expect(sealed).not.toContain("eyJ-refresh");
    expect(cipher.open(sealed)).toEqual({ refreshToken: "eyJ-refresh" });
  });

  it("uses a fresh IV each time", () => {
    expect(cipher.seal("x")).not.toBe(cipher.seal("x"));
  });

  it("refuses tampered text and another secret's text", () => {
    const sealed = cipher.seal({ a: 1 });
    const parts = sealed.split(".");
    parts[2] = parts[2]!.slice(0, -2) + (parts[2]!.endsWith("AA") ? "BB" : "AA");
    expect(cipher.open(parts.join("."))).toBeNull();
    expect(createTokenCipher("another-secret-of-thirty-two-characters!").open(sealed)).toBeNull();
    expect(cipher.open("garbage")).toBeNull();
  });

  it("keys by purpose: another purpose cannot open the text", () => {
    const secret = "a-secret-of-at-least-thirty-two-characters";
    expect(createTokenCipher(secret, "another purpose v1").open(cipher.seal({ a: 1 }))).toBeNull();
    expect(createTokenCipher(secret, "web token store v1").open(cipher.seal({ a: 1 }))).toEqual({ a: 1 });
  });

  it("remembers what a sealed text opened to, frozen; a changed entry is a new text", () => {
    const remembering = createTokenCipher("a-secret-of-at-least-thirty-two-characters", undefined, { rememberOpened: { maxEntries: 10, ttlMs: 60_000 } });
    const sealed = remembering.seal({ tokens: { accessToken: "a-1" } });
    const first = remembering.open<{ tokens: { accessToken: string } }>(sealed)!;
    expect(remembering.open(sealed)).toBe(first);
    expect(Object.isFrozen(first.tokens)).toBe(true);
    expect(() => {
      (first.tokens as { accessToken: string }).accessToken = "changed";
    }).toThrow(TypeError);
    const resealed = remembering.seal({ tokens: { accessToken: "a-2" } });
    expect(resealed).not.toBe(sealed);
    expect(remembering.open(resealed)).toEqual({ tokens: { accessToken: "a-2" } });
    // Tampered text is still refused: only what opened is remembered.
    expect(remembering.open(`${sealed.slice(0, -2)}xx`)).toBeNull();
  });
});
