// The content-API auth strategy: Keycloak access tokens are the only credential.
//
// Strapi calls `authenticate` once per request. A request with a bearer token
// is verified, its session confirmed, its user found or created and its
// ability built from the token's realm roles. A request without a token gets
// the `public` role's ability when that covers the route, and a 401 challenge
// otherwise (users-permissions would answer 403, which clients read as "signed
// in but not allowed").
//
// Strapi also calls `verify` from its sanitizers for every populated relation,
// so it must stay cheap and tolerate missing credentials.
import { errors } from "@strapi/utils";
import { AuthError, type AuthErrorCode } from "./auth-error";
import { readBearerToken } from "./read-bearer-token";
import { strapiRoleTypesFor } from "./role-table";
import { verifyAccessToken, type AccessTokenClaims, type AccessTokenPolicy, type KeyResolver } from "./verify-access-token";
import type { VerifiedTokenCache } from "./verified-token-cache";
import type { CmsUser, UserProfile } from "./user-store";
import { STEP_UP_CLAIMS_STATE, type StepUpClaims } from "../step-up/step-up-claims";

export const KEYCLOAK_STRATEGY_NAME = "keycloak";

/** Where the strategy leaves the failure code for the keycloak-auth-errors middleware. */
export const AUTH_FAILURE_STATE = "keycloakAuthFailure";

export interface Ability {
  can(action: string): boolean;
}

export interface KeycloakStrategyDeps {
  policy: AccessTokenPolicy;
  keys: KeyResolver;
  /** Remembers tokens that passed verification (same policy and keys); without it every request verifies. */
  verifiedTokens?: Pick<VerifiedTokenCache, "verify" | "recall">;
  liveness: { check(token: string, claims: AccessTokenClaims, isRead: boolean): Promise<void> };
  users: { resolve(profile: UserProfile): Promise<CmsUser> };
  abilities: { forRoles(roleTypes: readonly string[]): Promise<Ability> };
  /** users-permissions role id for a role type; null when the role does not exist. */
  roleIdOf(roleType: string): number | null;
  /** Epoch milliseconds. */
  now(): number;
}

/** The bits of Koa's context the strategy touches. */
export interface StrategyContext {
  method: string;
  request: { header: Record<string, string | string[] | undefined> };
  state: Record<string, unknown> & { route?: { config?: { auth?: false | { scope?: string | string[] } } } };
}

export interface StrategyResult {
  authenticated?: boolean;
  credentials?: CmsUser | null;
  ability?: Ability | null;
  error?: string;
}

export interface AuthState {
  credentials?: CmsUser | null;
  ability?: Ability | null;
}

// RFC 9110 §9.2.1: safe methods; the revocation policy may let these through
// while Keycloak is unreachable.
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// The form every client of ours sends (RFC 6750 §2.1); any other spelling takes readBearerToken's path.
const BEARER_PREFIX = "Bearer ";

interface TokenRoles {
  /** The first Strapi role type in table order, written to the user's `role`. */
  primaryRole: string | undefined;
  /** Every Strapi role type of the token, and `public`: what anyone may do without a token, a signed-in caller may do too. */
  withPublic: readonly string[];
}

export function createKeycloakStrategy(deps: KeycloakStrategyDeps) {
  // Roles are applied per token, from its own claims; VerifiedTokenCache hands
  // back the same claims object for every repeat of a token, so they are
  // mapped once per token rather than once per request.
  const rolesByClaims = new WeakMap<AccessTokenClaims, TokenRoles>();
  const rolesOf = (claims: AccessTokenClaims): TokenRoles => {
    let roles = rolesByClaims.get(claims);
    if (roles === undefined) {
      const roleTypes = strapiRoleTypesFor(claims.realmRoles);
      roles = { primaryRole: roleTypes[0], withPublic: [...roleTypes, "public"] };
      rolesByClaims.set(claims, roles);
    }
    return roles;
  };

  const anonymous = async (ctx: StrategyContext): Promise<StrategyResult> => {
    const scopes = scopesOf(ctx);
    if (scopes.length > 0) {
      const ability = await deps.abilities.forRoles(["public"]);
      if (scopes.every((scope) => ability.can(scope))) return { authenticated: true, credentials: null, ability };
    }
    throw new AuthError("missing_token");
  };

  const authenticate = async (ctx: StrategyContext): Promise<StrategyResult> => {
    try {
      const header = ctx.request.header.authorization;
      const authorization = Array.isArray(header) ? header[0] : header;
      let token: string | undefined;
      let claims: AccessTokenClaims | undefined;
      // A client repeats the same header until it refreshes. `Bearer <token>`
      // with a token verified before parses to exactly that token (a compact
      // JWS has no spaces and only b64token characters), so the repeat skips
      // readBearerToken's pass over the whole header.
      if (deps.verifiedTokens && authorization?.startsWith(BEARER_PREFIX)) {
        const candidate = authorization.slice(BEARER_PREFIX.length);
        claims = deps.verifiedTokens.recall(candidate, deps.now());
        if (claims !== undefined) token = candidate;
      }
      if (token === undefined || claims === undefined) {
        token = readBearerToken(authorization);
        if (token === undefined) return await anonymous(ctx);
        claims = deps.verifiedTokens
          ? await deps.verifiedTokens.verify(token, deps.now())
          : await verifyAccessToken(token, deps.policy, deps.keys, deps.now());
      }
      await deps.liveness.check(token, claims, READ_METHODS.has(ctx.method));

      const { primaryRole, withPublic } = rolesOf(claims);
      const user = await deps.users.resolve({
        keycloakSub: claims.sub,
        username: claims.preferredUsername ?? claims.email ?? claims.sub,
        email: claims.email ?? null,
        confirmed: claims.emailVerified,
        roleId: primaryRole === undefined ? null : deps.roleIdOf(primaryRole),
      });
      if (user.blocked) throw new AuthError("user_blocked");
      const ability = await deps.abilities.forRoles(withPublic);

      ctx.state.user = user;
      ctx.state[STEP_UP_CLAIMS_STATE] = { acr: claims.acr, authTime: claims.authTime } satisfies StepUpClaims;
      return { authenticated: true, credentials: user, ability };
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      ctx.state[AUTH_FAILURE_STATE] = error.code satisfies AuthErrorCode;
      return { error: error.message };
    }
  };

  const verify = (auth: AuthState | undefined, config: { scope?: string | string[] } | undefined): void => {
    const scope = config?.scope;
    const scopes = scope === undefined ? [] : Array.isArray(scope) ? scope : [scope];
    if (scopes.length === 0) {
      if (!auth?.credentials) throw new errors.UnauthorizedError();
      return;
    }
    const ability = auth?.ability;
    if (!ability) throw new errors.UnauthorizedError();
    if (!scopes.every((action) => ability.can(action))) throw new errors.ForbiddenError();
  };

  return { name: KEYCLOAK_STRATEGY_NAME, authenticate, verify };
}

function scopesOf(ctx: StrategyContext): string[] {
  const auth = ctx.state.route?.config?.auth;
  if (!auth) return [];
  const scope = auth.scope;
  return scope === undefined ? [] : Array.isArray(scope) ? scope : [scope];
}
