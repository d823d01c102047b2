// A verified access token as one value: its claims, the app's view of its
// roles, and the keys per-token caches use. The verified-token cache hands the
// same value back for every repeat of a token, so whatever is derived from the
// token is derived once, here, instead of in side tables keyed on object
// identity.
import { createHash } from "node:crypto";

/** The claims a resource server relies on, after verification. */
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
  /** The token's `scope` claim, split on spaces (RFC 9068 §2.2.3). */
  scopes: readonly string[];
  /** `cnf.jkt` of a DPoP-bound token (RFC 9449 §6.1); such a token is only accepted with a proof. */
  jkt: string | undefined;
  /** Authentication context class (Keycloak's level of authentication, mapped by the realm's acr.loa.map). */
  acr: string | undefined;
  /** When the person last authenticated, seconds since the epoch (max_age). */
  authTime: number | undefined;
}

export class VerifiedAccessToken<Roles = readonly string[]> {
  readonly token: string;
  readonly claims: AccessTokenClaims;
  readonly roles: Roles;
  #tokenId: string | undefined;
  #sessionKey: string | undefined;

  constructor(token: string, claims: AccessTokenClaims, roles: Roles) {
    this.token = token;
    this.claims = claims;
    this.roles = roles;
  }

  /** Identifies this token (a refusal is cached per token): its `jti`, or a hash of it when it has none. */
  get tokenId(): string {
    // Worked out on first use: hashing a 1-2 KB token costs more than the rest of a cache hit.
    this.#tokenId ??= this.claims.jti ?? createHash("sha256").update(this.token).digest("base64url");
    return this.#tokenId;
  }

  /** Identifies the token's Keycloak session (what gets revoked), or the token itself when it names none. */
  get sessionKey(): string {
    // Kept: a string built anew would be hashed again by every Map lookup.
    this.#sessionKey ??= this.claims.sid !== undefined ? `sid:${this.claims.sid}` : `tok:${this.tokenId}`;
    return this.#sessionKey;
  }
}
