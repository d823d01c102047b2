// `${VAR}` / `${VAR:default}` in keycloak/realm-export.json, resolved the way
// Keycloak resolves them when it imports a realm file: on the raw text, before
// JSON parsing (AbstractFileBasedImportProvider with an environment-variable
// resolver, org.keycloak.common.util.StringPropertyReplacer). Its rules:
//   - `${a}`: the variable `a`; unset leaves `${a}` in the text as it is.
//   - `${a:x}`: `a`, else the default `x` (everything after the first colon).
//     An empty variable is a value: `a=""` gives "", not the default.
//   - `${a,b}` and `${a,b:x}`: `a`, else `b`, else the default (or unchanged).
//   - `${/}` and `${:}`: the file and path separators ("/" and ":" here).
//   - placeholders nest: the inside of `${...}` is resolved first, and a
//     replacement is itself resolved again.
//   - a `$` not followed by `{` passes through together with the next character
//     (so `$${a}` is not a placeholder), and a `${` without its `}` stays as it is.

export type VariableLookup = (name: string) => string | undefined;

export interface Resolution {
  text: string;
  /** Variables that were read (set or not), in order of first use. */
  used: string[];
  /** Placeholders left in the text because nothing resolved them. */
  unresolved: string[];
}

export function resolvePlaceholders(text: string, lookup: VariableLookup): Resolution {
  const used: string[] = [];
  const unresolved: string[] = [];
  const read = (name: string): string | undefined => {
    if (!used.includes(name)) used.push(name);
    return lookup(name);
  };

  // Keycloak first asks for the whole key (so a variable literally named
  // `a:x` would win), then the part before the first colon, then each half
  // of a composite `a,b`.
  const replaceProperty = (key: string): string | undefined => {
    if (key === "/") return "/";
    if (key === ":") return ":";
    const plain = !key.includes(":") && !key.includes(",");
    const whole = plain ? read(key) : lookup(key);
    if (whole !== undefined) return whole;
    const colon = key.indexOf(":");
    if (colon > 0) {
      const name = key.slice(0, colon);
      return (name.includes(",") ? lookup(name) : read(name)) ?? compositeValue(name) ?? key.slice(colon + 1);
    }
    return compositeValue(key);
  };
  const compositeValue = (key: string): string | undefined => {
    const comma = key.indexOf(",");
    if (comma < 0) return undefined;
    const first = comma > 0 ? read(key.slice(0, comma)) : undefined;
    return first ?? (comma < key.length - 1 ? read(key.slice(comma + 1)) : undefined);
  };

  // Returns the resolved text and where scanning stopped: at the `}` that
  // closes the current key (inKey) or at the end of the input.
  const scan = (source: string, start: number, inKey: boolean): { out: string; end: number; closed: boolean } => {
    let out = "";
    let i = start;
    while (i < source.length) {
      const c = source[i]!;
      if (inKey && c === "}") return { out, end: i + 1, closed: true };
      if (c === "$" && i + 1 < source.length && source[i + 1] !== "{") {
        // Keycloak passes `$` and the character after it through together, unexamined:
        // `$${a}` stays as it is, and a `}` right after `$` does not close a key.
        out += c + source[i + 1];
        i += 2;
        continue;
      }
      if (c === "$" && source[i + 1] === "{") {
        const key = scan(source, i + 2, true);
        if (!key.closed) {
          // No closing brace before the end: Keycloak writes `${` and the rest back.
          out += "${" + key.out;
          i = key.end;
          continue;
        }
        const value = replaceProperty(key.out);
        if (value === undefined) {
          const placeholder = "${" + key.out + "}";
          if (!unresolved.includes(placeholder)) unresolved.push(placeholder);
          out += placeholder;
        } else {
          out += scan(value, 0, false).out;
        }
        i = key.end;
        continue;
      }
      out += c;
      i += 1;
    }
    return { out, end: i, closed: false };
  };

  return { text: scan(text, 0, false).out, used, unresolved };
}
