import { describe, expect, it } from "vitest";
import { base32Decode, totp } from "./totp.ts";

describe("totp", () => {
  it("matches RFC 6238's SHA-1 test vectors (last 6 digits)", () => {
    // RFC 6238 Appendix B: the secret is the ASCII "12345678901234567890".
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(base32Decode(secret).toString()).toBe("12345678901234567890");
    expect(totp(secret, 59_000)).toBe("287082");
    expect(totp(secret, 1_111_111_109_000)).toBe("081804");
    expect(totp(secret, 1_234_567_890_000)).toBe("005924");
    expect(totp(secret, 20_000_000_000_000)).toBe("353130");
  });
});
