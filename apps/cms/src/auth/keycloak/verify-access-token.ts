// Verifies a Keycloak access token: every rule of the resource-server contract,
// in an order that rejects cheap-to-detect garbage before any key lookup or
// signature check. Throws AuthError; never echoes the token.
import { compactVerify } from "jose";
import { AuthError } from "./auth-error";
import { parseStrictJson } from "./parse-strict-json";
import type { VerificationKey } from "./jwks-key-store";

export interface AccessTokenPolicy {
  issuer: string;
  audience: string;
  allowedAzp: readonly string[];
  algorithms: readonly string[];
  clockLeewaySeconds: number;
  maxTokenBytes: number;
}

export interface KeyResolver {
  keyFor(kid: string, alg: string, issuedAt: number): Promise<VerificationKey>;
}

/** The claims the CMS relies on, after verification. */
export interface AccessTokenClaims {
  sub: string;
  /** Keycloak session id; absent for some grants (client credentials). */
  sid: string | undefined;
  jti: string | undefined;
  azp: string;
  exp: number;
  iat: number;
  realmRoles: readonly string[];
  email: string | undefined;
  emailVerified: boolean;
  preferredUsername: string | undefined;
  /** Authentication context class (Keycloak's level of authentication, mapped by the realm's acr.loa.map); step-up/. */
  acr: string | undefined;
  /** When the person last authenticated, seconds since the epoch; step-up/ (max_age). */
  authTime: number | undefined;
}

// Compact JWS (RFC 7515 §7.1): three base64url segments, no padding. JWE (five
// segments) and JSON serialisations are not access tokens here.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

// Header parameters that ask the verifier to fetch or trust key material named
// by the token itself (RFC 7515 §4.1.2–4.1.6) or to understand extensions
// (§4.1.11, `crit`). Keycloak sends none of them; the key comes only from the
// realm's JWKS.
const FORBIDDEN_HEADER_PARAMETERS = ["jku", "jwk", "x5u", "x5c", "crit", "b64"] as const;

// Header `typ` values of JWT access tokens (RFC 7519 §5.1, RFC 9068 §2.1).
const ACCEPTED_HEADER_TYP = new Set(["jwt", "at+jwt", "application/at+jwt"]);

const KID = /^[\x21-\x7e]{1,256}$/;
const MAX_SUB_LENGTH = 255;

export async function verifyAccessToken(
  token: string,
  policy: AccessTokenPolicy,
  keys: KeyResolver,
  nowMs: number,
): Promise<AccessTokenClaims> {
  if (Buffer.byteLength(token, "utf8") > policy.maxTokenBytes) throw new AuthError("token_too_large");
  if (!COMPACT_JWS.test(token)) throw new AuthError("malformed_token");

  const [encodedHeader, encodedPayload] = token.split(".") as [string, string, string];
  const header = decodeSegment(encodedHeader);
  const payload = decodeSegment(encodedPayload);

  const alg = header.alg;
  if (typeof alg !== "string" || !policy.algorithms.includes(alg)) throw new AuthError("unsupported_algorithm");
  if (FORBIDDEN_HEADER_PARAMETERS.some((name) => Object.hasOwn(header, name))) {
    throw new AuthError("unsupported_header");
  }
  if (header.typ !== undefined && (typeof header.typ !== "string" || !ACCEPTED_HEADER_TYP.has(header.typ.toLowerCase()))) {
    throw new AuthError("invalid_token_type");
  }
  const kid = header.kid;
  if (typeof kid !== "string" || !KID.test(kid)) throw new AuthError("malformed_token");

  const now = Math.floor(nowMs / 1000);
  const leeway = policy.clockLeewaySeconds;

  // Checked before the key lookup only to reject early: a foreign or
  // future-dated token must not make us refetch the JWKS. Nothing is accepted
  // on the strength of an unverified claim.
  if (payload.iss !== policy.issuer) throw new AuthError("invalid_issuer");
  const iat = payload.iat;
  if (!isNumericDate(iat)) throw new AuthError("invalid_claims");
  if (iat > now + leeway) throw new AuthError("token_not_yet_valid");

  const key = await keys.keyFor(kid, alg, iat);
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    throw new AuthError("invalid_signature");
  }

  // RFC 9068 §4 and Keycloak's `typ` claim: ID ("ID"), refresh ("Refresh") and
  // logout ("Logout") tokens are signed by the same key but are not bearer tokens.
  if (payload.typ !== "Bearer") throw new AuthError("invalid_token_type");

  const aud = payload.aud;
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(policy.audience)) throw new AuthError("invalid_audience");

  const azp = payload.azp;
  if (typeof azp !== "string" || !policy.allowedAzp.includes(azp)) throw new AuthError("invalid_authorized_party");

  const sub = payload.sub;
  if (typeof sub !== "string" || sub === "" || sub.length > MAX_SUB_LENGTH) throw new AuthError("invalid_claims");

  const exp = payload.exp;
  if (!isNumericDate(exp)) throw new AuthError("invalid_claims");
  // RFC 7519 §4.1.4: reject "on or after" exp.
  if (now >= exp + leeway) throw new AuthError("token_expired");
  const nbf = payload.nbf;
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) throw new AuthError("invalid_claims");
    if (nbf > now + leeway) throw new AuthError("token_not_yet_valid");
  }

  return {
    sub,
    sid: optionalString(payload.sid),
    jti: optionalString(payload.jti),
    azp,
    exp,
    iat,
    realmRoles: realmRolesOf(payload.realm_access),
    email: optionalString(payload.email),
    emailVerified: payload.email_verified === true,
    preferredUsername: optionalString(payload.preferred_username),
    acr: optionalString(payload.acr),
    authTime: typeof payload.auth_time === "number" && Number.isSafeInteger(payload.auth_time) ? payload.auth_time : undefined,
  };
}

function decodeSegment(segment: string): Record<string, unknown> {
  // A base64url string of length 4n+1 encodes no whole byte (RFC 4648 §5).
  if (segment.length % 4 === 1) throw new AuthError("malformed_token");
  const bytes = Buffer.from(segment, "base64url");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AuthError("malformed_token");
  }
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch {
    throw new AuthError("malformed_token");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AuthError("malformed_token");
  return value as Record<string, unknown>;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function realmRolesOf(realmAccess: unknown): string[] {
  if (typeof realmAccess !== "object" || realmAccess === null) return [];
  const roles = (realmAccess as { roles?: unknown }).roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
}
