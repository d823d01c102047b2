// JSON.parse keeps the last of duplicate member names. RFC 7519 §4 and RFC 7515
// §5.2 let a JWT parser either do that or reject the token; a verifier that sees
// a different `sub` than another component would is a confused-deputy risk, so
// we reject. This is a complete RFC 8259 parser that also bounds nesting depth.

export class StrictJsonError extends Error {
  readonly code = "ERR_STRICT_JSON";
  constructor(reason: string) {
    super(`Invalid JSON: ${reason}`);
    this.name = "StrictJsonError";
  }
}

const MAX_DEPTH = 32;

export function parseStrictJson(text: string): unknown {
  let i = 0;

  const fail = (reason: string): never => {
    throw new StrictJsonError(`${reason} at offset ${i}`);
  };
  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };

  const parseString = (): string => {
    // Caller has checked text[i] === '"'.
    i++;
    let out = "";
    let start = i;
    while (true) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("control character in string");
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const escape = text[i + 1];
      i += 2;
      switch (escape) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad unicode escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail("bad escape");
      }
      start = i;
    }
  };

  const parseNumber = (): number => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) return fail("bad number");
    i += match[0].length;
    return Number(match[0]);
  };

  const parseLiteral = <T>(word: string, value: T): T => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail("unexpected token");
  };

  const parseValue = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    skipWhitespace();
    const c = text[i];
    if (c === "{") return parseObject(depth);
    if (c === "[") return parseArray(depth);
    if (c === '"') return parseString();
    if (c === "t") return parseLiteral("true", true);
    if (c === "f") return parseLiteral("false", false);
    if (c === "n") return parseLiteral("null", null);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    return fail("unexpected token");
  };

  const parseObject = (depth: number): Record<string, unknown> => {
    i++;
    const entries: [string, unknown][] = [];
    const seen = new Set<string>();
    skipWhitespace();
    if (text[i] === "}") {
      i++;
      return {};
    }
    while (true) {
      skipWhitespace();
      if (text[i] !== '"') fail("expected member name");
      const key = parseString();
      if (seen.has(key)) fail("duplicate member name");
      seen.add(key);
      skipWhitespace();
      if (text[i] !== ":") fail("expected ':'");
      i++;
      entries.push([key, parseValue(depth + 1)]);
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        // fromEntries defines own properties, so a "__proto__" member cannot
        // replace the object's prototype.
        return Object.fromEntries(entries);
      }
      fail("expected ',' or '}'");
    }
  };

  const parseArray = (depth: number): unknown[] => {
    i++;
    const items: unknown[] = [];
    skipWhitespace();
    if (text[i] === "]") {
      i++;
      return items;
    }
    while (true) {
      items.push(parseValue(depth + 1));
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return items;
      }
      fail("expected ',' or ']'");
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (i !== text.length) fail("trailing characters");
  return value;
}
