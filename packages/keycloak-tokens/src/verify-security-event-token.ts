// Verifies a Security Event Token (RFC 8417) pushed by Keycloak's Shared
// Signals transmitter, with the same key store and strict parsing as access
// tokens. Cheap checks come before any key lookup; nothing is trusted before
// the signature is. Throws TokenError; never echoes the token. What the event
// means is the receiver's business (the cms's session/ folder).
import { compactVerify } from "jose";
import { audiencesOf, decodeCompactJws, isNumericDate, typIn } from "./compact-jws.ts";
import type { KeyResolver } from "./jwks-key-store.ts";
import { TokenError } from "./token-error.ts";

export interface SecurityEventTokenPolicy {
  issuer: string;
  /** The stream's audience as Keycloak sends it: `<client id>/<stream id>`; undefined refuses every SET. */
  audience: () => string | undefined;
  /** A SET issued longer ago than this is refused, seconds. */
  maxAgeSeconds: number;
  clockLeewaySeconds: number;
}

/** A verified SET: its events, still uninterpreted. */
export interface VerifiedSecurityEventToken {
  jti: string;
  /** Epoch seconds. */
  iat: number;
  /** Event type URI → event object (RFC 8417 §2.2). */
  events: Readonly<Record<string, unknown>>;
  /** SSF 1.0 §3: the subject, at the top level of the SET. */
  subId: unknown;
}

// CAEP Interoperability Profile 1.0 §2.6: RS256, the algorithm the realm signs SETs with.
const SET_ALGORITHMS = ["RS256"];
// RFC 8417 §2.3: explicit typing, `secevent+jwt` (the `application/` prefix may be left out).
const SET_TYP = typIn(new Set(["secevent+jwt", "application/secevent+jwt"]), { optional: false });
const MAX_JTI_LENGTH = 256;

export async function verifySecurityEventToken(
  token: string,
  policy: SecurityEventTokenPolicy,
  keys: KeyResolver,
  nowMs: number,
): Promise<VerifiedSecurityEventToken> {
  const { payload, alg, kid } = decodeCompactJws(token, SET_ALGORITHMS, SET_TYP);

  // Before the key lookup only to reject early (a foreign or future-dated SET
  // must not make us refetch the JWKS); rechecked as verified claims below.
  if (payload.iss !== policy.issuer) throw new TokenError("invalid_issuer");
  const now = Math.floor(nowMs / 1000);
  const iat = payload.iat;
  if (!isNumericDate(iat)) throw new TokenError("invalid_claims");
  if (iat > now + policy.clockLeewaySeconds) throw new TokenError("token_not_yet_valid");
  if (iat < now - policy.maxAgeSeconds - policy.clockLeewaySeconds) throw new TokenError("token_stale");

  const key = await keys.keyFor(kid, alg, iat);
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    throw new TokenError("invalid_signature");
  }

  // RFC 8417 §2.2: aud may be a string or an array; Keycloak sends one string.
  const expected = policy.audience();
  if (expected === undefined || !audiencesOf(payload.aud).includes(expected)) throw new TokenError("invalid_audience");

  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) throw new TokenError("invalid_claims");
  // RFC 8417 §2.2: a SET carries no `exp`-style validity and is not an access
  // token; Keycloak's `sub` claim is absent (SSF 1.0 uses `sub_id`).
  const events = payload.events;
  if (typeof events !== "object" || events === null || Array.isArray(events)) throw new TokenError("invalid_claims");

  return { jti, iat, events: events as Record<string, unknown>, subId: payload.sub_id };
}
