// Verifies an OpenID Connect back-channel logout token (Back-Channel Logout 1.0
// §2.4 and §2.6) with the same key store, algorithm allow-list and strict
// parsing as every other token of the realm. Replays are the caller's check (it
// owns the store of seen `jti`s). Throws TokenError; never echoes the token.
import { compactVerify } from "jose";
import { audiencesOf, decodeCompactJws, isNumericDate, typIn } from "./compact-jws.ts";
import type { KeyResolver } from "./jwks-key-store.ts";
import { TokenError } from "./token-error.ts";

export interface LogoutTokenPolicy {
  /** Expected `iss`: the realm's public issuer. */
  issuer: string;
  /** Expected `aud`: our client id. */
  audience: string;
  algorithms: readonly string[];
  /** Oldest acceptable `iat`, seconds. */
  maxAgeSeconds: number;
  clockLeewaySeconds: number;
}

/** Whom to sign out, and what identifies the token for replay detection. */
export interface VerifiedLogoutToken {
  sid?: string;
  sub?: string;
  jti: string;
  /** `exp`, epoch milliseconds: the jti must be remembered until then. */
  expiresAt: number;
}

// §2.4: the `events` claim must hold this member.
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
// Back-Channel Logout 1.0 final §2.4 and RFC 8725 §3.11: explicit typing keeps
// an ID or access token of the same issuer from passing as a logout token.
// Keycloak 26 sets this header on logout tokens.
export const LOGOUT_TOKEN_TYPE = "logout+jwt";
const LOGOUT_TYP = typIn(new Set([LOGOUT_TOKEN_TYPE, `application/${LOGOUT_TOKEN_TYPE}`]), { optional: false });

export async function verifyLogoutToken(token: string, policy: LogoutTokenPolicy, keys: KeyResolver, nowMs: number): Promise<VerifiedLogoutToken> {
  const { payload, alg, kid } = decodeCompactJws(token, policy.algorithms, LOGOUT_TYP);

  // Before the key lookup only to reject early (see verify-access-token.ts).
  if (payload.iss !== policy.issuer) throw new TokenError("invalid_issuer");
  const now = Math.floor(nowMs / 1000);
  const leeway = policy.clockLeewaySeconds;
  const iat = payload.iat;
  if (!isNumericDate(iat)) throw new TokenError("invalid_claims");
  if (iat > now + leeway) throw new TokenError("token_not_yet_valid");

  const key = await keys.keyFor(kid, alg, iat);
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    throw new TokenError("invalid_signature");
  }

  if (!audiencesOf(payload.aud).includes(policy.audience)) throw new TokenError("invalid_audience");
  // §2.4 makes iat and jti required; exp is required too (final spec), and bounds how long a jti is remembered.
  const exp = payload.exp;
  const jti = payload.jti;
  if (!isNumericDate(exp) || typeof jti !== "string" || jti === "") throw new TokenError("invalid_claims");
  if (now >= exp + leeway) throw new TokenError("token_expired");
  if (iat < now - policy.maxAgeSeconds - leeway) throw new TokenError("token_stale");

  const events = payload.events;
  if (!isObject(events) || !isObject(events[BACKCHANNEL_LOGOUT_EVENT])) throw new TokenError("invalid_events");
  // §2.4: a nonce is prohibited, so an ID token can never pass as a logout token.
  if (Object.hasOwn(payload, "nonce")) throw new TokenError("forbidden_claim");
  const sid = typeof payload.sid === "string" && payload.sid !== "" ? payload.sid : undefined;
  const sub = typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : undefined;
  if (sid === undefined && sub === undefined) throw new TokenError("missing_subject");
  return { ...(sid ? { sid } : {}), ...(sub ? { sub } : {}), jti, expiresAt: exp * 1000 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
