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
});
