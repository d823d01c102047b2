// The checks every token of the realm goes through before any key lookup:
// compact serialisation, strict base64url and UTF-8, JSON objects without
// duplicate members (parse-strict-json.ts), an allowed algorithm, no header
// that asks the verifier to trust key material named by the token itself, and
// a well-formed `kid`. Throws TokenError.
import { TokenError } from "./token-error.ts";
import { parseStrictJson } from "./parse-strict-json.ts";

// Compact JWS (RFC 7515 §7.1): three base64url segments, no padding. JWE (five
// segments) and JSON serialisations are not tokens here.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

// Header parameters that ask the verifier to fetch or trust key material named
// by the token itself (RFC 7515 §4.1.2–4.1.6) or to understand extensions
// (§4.1.11, `crit`). Keycloak sends none of them; the key comes only from the
// realm's JWKS.
const FORBIDDEN_HEADER_PARAMETERS = ["jku", "jwk", "x5u", "x5c", "crit", "b64"] as const;

const KID = /^[\x21-\x7e]{1,256}$/;

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  alg: string;
  kid: string;
}

/**
 * Decodes and checks a compact JWS; nothing in it is trusted yet.
 * @param acceptTyp decides the header `typ` (undefined when absent); false refuses with invalid_token_type.
 */
export function decodeCompactJws(
  token: string,
  algorithms: readonly string[],
  acceptTyp: (typ: unknown) => boolean,
): DecodedJws {
  if (!COMPACT_JWS.test(token)) throw new TokenError("malformed_token");
  const [encodedHeader, encodedPayload] = token.split(".") as [string, string, string];
  const header = decodeSegment(encodedHeader);
  const payload = decodeSegment(encodedPayload);

  const alg = header.alg;
  if (typeof alg !== "string" || !algorithms.includes(alg)) throw new TokenError("unsupported_algorithm");
  if (FORBIDDEN_HEADER_PARAMETERS.some((name) => Object.hasOwn(header, name))) throw new TokenError("unsupported_header");
  if (!acceptTyp(header.typ)) throw new TokenError("invalid_token_type");
  const kid = header.kid;
  if (typeof kid !== "string" || !KID.test(kid)) throw new TokenError("malformed_token");
  return { header, payload, alg, kid };
}

/** `typ` accepted when it is one of `types`, compared case-insensitively (RFC 7515 §4.1.9). */
export function typIn(types: ReadonlySet<string>, { optional }: { optional: boolean }): (typ: unknown) => boolean {
  return (typ) => (typ === undefined ? optional : typeof typ === "string" && types.has(typ.toLowerCase()));
}

function decodeSegment(segment: string): Record<string, unknown> {
  // A base64url string of length 4n+1 encodes no whole byte (RFC 4648 §5).
  if (segment.length % 4 === 1) throw new TokenError("malformed_token");
  let value: unknown;
  try {
    value = parseStrictJson(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(segment, "base64url")));
  } catch {
    throw new TokenError("malformed_token");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TokenError("malformed_token");
  return value as Record<string, unknown>;
}

export function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** RFC 7519 §4.1.3: `aud` is one string or an array of them. */
export function audiencesOf(aud: unknown): readonly unknown[] {
  return typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
}
