// Verifies a Security Event Token (RFC 8417) pushed by Keycloak's Shared
// Signals transmitter, with the realm keys the access-token verifier uses
// (jwks-key-store.ts) and the same strict JSON parsing. Cheap checks come
// before any key lookup; nothing is trusted before the signature is.
// Throws SsfPushError; never echoes the token.
import { compactVerify } from "jose";
import { AuthError } from "../keycloak/auth-error";
import { parseStrictJson } from "../keycloak/parse-strict-json";
import type { KeyResolver } from "../keycloak/verify-access-token";
import { SsfPushError } from "./ssf-push-error";

export interface SecurityEventTokenPolicy {
  issuer: string;
  /** The stream's audience as Keycloak sends it: `<client id>/<stream id>`. */
  audience: () => string | undefined;
  /** A SET issued longer ago than this is refused, seconds. */
  maxAgeSeconds: number;
  clockLeewaySeconds: number;
}

/** The verified SET: its one event, still uninterpreted (interpret-security-event.ts). */
export interface VerifiedSecurityEventToken {
  jti: string;
  /** Epoch seconds. */
  iat: number;
  eventType: string;
  event: Readonly<Record<string, unknown>>;
  /** SSF 1.0 §3: the subject, at the top level of the SET. */
  subId: unknown;
}

// CAEP Interoperability Profile 1.0 §2.6: RS256. Only the algorithm the realm
// signs SETs with; `none` and HMAC never (a public key as an HMAC secret is the
// algorithm-confusion attack).
const ALGORITHM = "RS256";
// RFC 8417 §2.3: explicit typing, `secevent+jwt` (the `application/` prefix may be left out).
const SET_TYPES = new Set(["secevent+jwt", "application/secevent+jwt"]);
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_HEADER_PARAMETERS = ["jku", "jwk", "x5u", "x5c", "crit", "b64"] as const;
const KID = /^[\x21-\x7e]{1,256}$/;
const MAX_JTI_LENGTH = 256;

export async function verifySecurityEventToken(
  token: string,
  policy: SecurityEventTokenPolicy,
  keys: KeyResolver,
  nowMs: number,
): Promise<VerifiedSecurityEventToken> {
  if (!COMPACT_JWS.test(token)) throw new SsfPushError("malformed_set");
  const [encodedHeader, encodedPayload] = token.split(".") as [string, string, string];
  const header = decodeSegment(encodedHeader);
  const payload = decodeSegment(encodedPayload);

  if (header.alg !== ALGORITHM) throw new SsfPushError("unsupported_algorithm");
  if (FORBIDDEN_HEADER_PARAMETERS.some((name) => Object.hasOwn(header, name))) throw new SsfPushError("unsupported_header");
  if (typeof header.typ !== "string" || !SET_TYPES.has(header.typ.toLowerCase())) throw new SsfPushError("invalid_set_type");
  const kid = header.kid;
  if (typeof kid !== "string" || !KID.test(kid)) throw new SsfPushError("malformed_set");

  // Before the key lookup only to reject early (a foreign or future-dated SET
  // must not make us refetch the JWKS); rechecked as verified claims below.
  if (payload.iss !== policy.issuer) throw new SsfPushError("invalid_issuer");
  const now = Math.floor(nowMs / 1000);
  const iat = payload.iat;
  if (!isNumericDate(iat)) throw new SsfPushError("invalid_claims");
  if (iat > now + policy.clockLeewaySeconds) throw new SsfPushError("future_set");
  if (iat < now - policy.maxAgeSeconds - policy.clockLeewaySeconds) throw new SsfPushError("stale_set");

  let key;
  try {
    key = await keys.keyFor(kid, ALGORITHM, iat);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    throw new SsfPushError(error.code === "keys_unavailable" ? "keys_unavailable" : error.code === "unknown_key" ? "unknown_key" : "invalid_signature");
  }
  try {
    await compactVerify(token, key, { algorithms: [ALGORITHM] });
  } catch {
    throw new SsfPushError("invalid_signature");
  }

  // RFC 8417 §2.2: aud may be a string or an array; Keycloak sends one string.
  const expected = policy.audience();
  const aud = payload.aud;
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (expected === undefined || !audiences.includes(expected)) throw new SsfPushError("invalid_audience");

  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) throw new SsfPushError("invalid_claims");
  // RFC 8417 §2.2: a SET carries no `exp`-style validity and is not an access
  // token; Keycloak's `sub` claim is absent (SSF 1.0 uses `sub_id`).
  const events = payload.events;
  if (typeof events !== "object" || events === null || Array.isArray(events)) throw new SsfPushError("invalid_claims");
  const types = Object.keys(events);
  if (types.length !== 1) throw new SsfPushError("event_count");
  const eventType = types[0]!;
  const event = (events as Record<string, unknown>)[eventType];
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw new SsfPushError("invalid_claims");

  return { jti, iat, eventType, event: event as Record<string, unknown>, subId: payload.sub_id };
}

function decodeSegment(segment: string): Record<string, unknown> {
  // A base64url string of length 4n+1 encodes no whole byte (RFC 4648 §5).
  if (segment.length % 4 === 1) throw new SsfPushError("malformed_set");
  let value: unknown;
  try {
    value = parseStrictJson(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(segment, "base64url")));
  } catch {
    throw new SsfPushError("malformed_set");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SsfPushError("malformed_set");
  return value as Record<string, unknown>;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
