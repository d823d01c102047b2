import { describe, expect, it } from "vitest";
import { findTokens } from "./token-scan.ts";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jws = `${b64({ alg: "RS256", typ: "JWT", kid: "k" })}.${b64({ sub: "alice", iss: "http://kc/realms/app" })}.${"s".repeat(40)}`;
const jwe = `${b64({ alg: "dir", enc: "A256CBC-HS512" })}..${"i".repeat(22)}.${"c".repeat(80)}.${"t".repeat(43)}`;

describe("token scan", () => {
  it("finds a JWS anywhere in text, and token field names", () => {
    expect(findTokens(`<a href="/x?id_token_hint=${jws}">`)).toHaveLength(1);
    expect(findTokens(`self.__next_f.push([1,"{\\"x\\":\\"${jws}\\"}"])`)).toHaveLength(1);
    expect(findTokens('{"access_token":"opaque"}')).toEqual(["field access_token"]);
  });

  it("does not flag next-auth's JWE cookie, nor ordinary text", () => {
    expect(findTokens(`authjs.session-token=${jwe}; Path=/`)).toEqual([]);
    expect(findTokens("<h1>Notes</h1><p>eyJ is just letters</p>")).toEqual([]);
  });

  it("never returns a whole token", () => {
    expect(findTokens(jws)[0]!.length).toBeLessThan(40);
  });
});
