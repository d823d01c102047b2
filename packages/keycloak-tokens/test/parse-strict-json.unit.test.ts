import { describe, expect, it } from "vitest";
import { parseStrictJson, StrictJsonError } from "../src/parse-strict-json.ts";

describe("parseStrictJson", () => {
  it.each([
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
    '  {"unicode":"\\u00e9\\n\\"q\\"","n":-1.5e3,"z":0}  ',
    "[]",
    '"text"',
    "12",
    '{"emoji":"😀"}',
  ])("parses %s like JSON.parse", (text) => {
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"a":1,"a":2}', "top-level duplicate"],
    ['{"x":{"a":1,"a":1}}', "nested duplicate"],
    ['[{"k":1,"k":2}]', "duplicate in array element"],
    ['{"\\u0061":1,"a":2}', "duplicate spelled with an escape"],
  ])("rejects %s (%s)", (text) => {
    expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
  });

  it.each(["", "{", '{"a":}', '{"a":1,}', "[1,]", "{'a':1}", '{"a":01}', '{"a":1} x', '"\u0001"', '"\\x"', "NaN", "tru"])(
    "rejects invalid JSON %j",
    (text) => {
      expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
    },
  );

  it("bounds nesting depth", () => {
    expect(() => parseStrictJson("[".repeat(100) + "]".repeat(100))).toThrow(StrictJsonError);
    expect(parseStrictJson("[".repeat(20) + "]".repeat(20))).toBeDefined();
  });

  it("keeps a __proto__ member as data", () => {
    const value = parseStrictJson('{"__proto__":{"admin":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect((value as { admin?: boolean }).admin).toBeUndefined();
  });
});
