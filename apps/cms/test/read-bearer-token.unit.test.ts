import { describe, expect, it } from "vitest";
import { AuthError } from "../src/auth/token/auth-error";
import { readBearerToken } from "../src/auth/token/read-bearer-token";

describe("readBearerToken", () => {
  it("reads the token, with a case-insensitive scheme", () => {
    expect(readBearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(readBearerToken("bearer  abc.def.ghi ")).toBe("abc.def.ghi");
    expect(readBearerToken("BEARER abc~+/==")).toBe("abc~+/==");
  });

  it("treats a missing or blank header as no credentials", () => {
    expect(readBearerToken(undefined)).toBeUndefined();
    expect(readBearerToken("   ")).toBeUndefined();
  });

  it.each(["Basic YWxpY2U6cHc=", "Bearer", "Bearer ", "Bearer a b", "Bearer a\u0000b", "Token abc", "Bearerabc"])(
    "rejects %j as malformed",
    (header) => {
      expect(() => readBearerToken(header)).toThrow(AuthError);
      try {
        readBearerToken(header);
      } catch (error) {
        expect((error as AuthError).code).toBe("malformed_token");
      }
    },
  );
});
