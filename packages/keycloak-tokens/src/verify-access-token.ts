// Verifies a Keycloak access token: every rule of the resource-server contract,
// in an order that rejects cheap-to-detect garbage before any key lookup or
// signature check. Throws TokenError; never echoes the token.
import { compactVerify } from "jose";
import { audiencesOf, decodeCompactJws, isNumericDate, typIn } from "./compact-jws.ts";
import type { KeyResolver } from "./jwks-key-store.ts";
import { TokenError } from "./token-error.ts";
import { VerifiedAccessToken, type AccessTokenClaims } from "./verified-access-token.ts";

export interface AccessTokenPolicy<Roles = readonly string[]> {
  issuer: string;
  audience: string;
  allowedAzp: readonly string[];
  algorithms: readonly string[];
  clockLeewaySeconds: number;
  maxTokenBytes: number;
  /**
   * The app's view of the token's realm roles, worked out once per verified
   * token and kept on it (default: the realm roles themselves).
   */
  roles?: (realmRoles: readonly string[]) => Roles;
}

// Header `typ` values of JWT access tokens (RFC 7519 §5.1, RFC 9068 §2.1); Keycloak may leave it out.
const ACCESS_TOKEN_TYP = typIn(new Set(["jwt", "at+jwt", "application/at+jwt"]), { optional: true });

const MAX_SUB_LENGTH = 255;

export async function verifyAccessToken<Roles = readonly string[]>(
  token: string,
  policy: AccessTokenPolicy<Roles>,
  keys: KeyResolver,
  nowMs: number,
): Promise<VerifiedAccessToken<Roles>> {
  if (Buffer.byteLength(token, "utf8") > policy.maxTokenBytes) throw new TokenError("token_too_large");
  const { payload, alg, kid } = decodeCompactJws(token, policy.algorithms, ACCESS_TOKEN_TYP);

  const now = Math.floor(nowMs / 1000);
  const leeway = policy.clockLeewaySeconds;

  // Checked before the key lookup only to reject early: a foreign or
  // future-dated token must not make us refetch the JWKS. Nothing is accepted
  // on the strength of an unverified claim.
  if (payload.iss !== policy.issuer) throw new TokenError("invalid_issuer");
  const iat = payload.iat;
  if (!isNumericDate(iat)) throw new TokenError("invalid_claims");
  if (iat > now + leeway) throw new TokenError("token_not_yet_valid");

  const key = await keys.keyFor(kid, alg, iat);
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    throw new TokenError("invalid_signature");
  }

  // RFC 9068 §4 and Keycloak's `typ` claim: ID ("ID"), refresh ("Refresh") and
  // logout ("Logout") tokens are signed by the same key but are not bearer tokens.
  // Keycloak 26.7 marks a DPoP-bound access token `typ: "DPoP"`; it must carry its key thumbprint.
  if (payload.typ !== "Bearer" && payload.typ !== "DPoP") throw new TokenError("invalid_token_type");
  const jkt = confirmationThumbprint(payload.cnf);
  if (payload.typ === "DPoP" && jkt === undefined) throw new TokenError("invalid_claims");

  if (!audiencesOf(payload.aud).includes(policy.audience)) throw new TokenError("invalid_audience");

  const azp = payload.azp;
  if (typeof azp !== "string" || !policy.allowedAzp.includes(azp)) throw new TokenError("invalid_authorized_party");

  const sub = payload.sub;
  if (typeof sub !== "string" || sub === "" || sub.length > MAX_SUB_LENGTH) throw new TokenError("invalid_claims");

  const exp = payload.exp;
  if (!isNumericDate(exp)) throw new TokenError("invalid_claims");
  // RFC 7519 §4.1.4: reject "on or after" exp.
  if (now >= exp + leeway) throw new TokenError("token_expired");
  const nbf = payload.nbf;
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) throw new TokenError("invalid_claims");
    if (nbf > now + leeway) throw new TokenError("token_not_yet_valid");
  }

  const claims: AccessTokenClaims = {
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
    scopes: typeof payload.scope === "string" ? payload.scope.split(" ").filter((scope) => scope !== "") : [],
    jkt,
    acr: optionalString(payload.acr),
    authTime: typeof payload.auth_time === "number" && Number.isSafeInteger(payload.auth_time) ? payload.auth_time : undefined,
  };
  const roles = policy.roles ? policy.roles(claims.realmRoles) : (claims.realmRoles as Roles);
  return new VerifiedAccessToken(token, claims, roles);
}

function confirmationThumbprint(cnf: unknown): string | undefined {
  if (typeof cnf !== "object" || cnf === null) return undefined;
  return optionalString((cnf as { jkt?: unknown }).jkt);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function realmRolesOf(realmAccess: unknown): string[] {
  if (typeof realmAccess !== "object" || realmAccess === null) return [];
  const roles = (realmAccess as { roles?: unknown }).roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
}
