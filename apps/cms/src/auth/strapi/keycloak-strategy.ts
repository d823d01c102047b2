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
import { verifyAccessToken, type KeyResolver, type VerifiedTokenCache } from "@stack/keycloak-tokens";
import type { CmsAccessToken, CmsAccessTokenPolicy, TokenRoles } from "../token/access-token-policy";
import { asAuthError, AuthError, type AuthErrorCode } from "../token/auth-error";
import { readBearerToken } from "../token/read-bearer-token";
import type { CmsUser, UserProfile } from "../users/user-store";
import { MISSING_SCOPE_STATE, type ClientGate } from "../clients/client-gate";
import { readAuthorization } from "../clients/read-authorization";
import { STEP_UP_CLAIMS_STATE, type StepUpClaims } from "../step-up/step-up-claims";

export const KEYCLOAK_STRATEGY_NAME = "keycloak";

/** Where the strategy leaves the failure code for the keycloak-auth-errors middleware. */
export const AUTH_FAILURE_STATE = "keycloakAuthFailure";

export interface Ability {
  can(action: string): boolean;
}

export interface KeycloakStrategyDeps {
  policy: CmsAccessTokenPolicy;
  keys: KeyResolver;
  /** Remembers tokens that passed verification (same policy and keys); without it every request verifies. */
  verifiedTokens?: Pick<VerifiedTokenCache<TokenRoles>, "verify" | "recall">;
  liveness: { check(token: CmsAccessToken, isRead: boolean): Promise<void> };
  users: { resolve(profile: UserProfile): Promise<CmsUser> };
  abilities: { forRoles(roleTypes: readonly string[]): Promise<Ability> };
  /** users-permissions role id for a role type; null when the role does not exist. */
  roleIdOf(roleType: string): number | null;
  /** Epoch milliseconds. */
  now(): number;
  /** Per-client policy, DPoP and scopes (apps/cms/src/auth/clients/); without it every allowed azp is a Bearer client with its role's rights. */
  clients?: ClientGate;
}

/** The bits of Koa's context the strategy touches. */
export interface StrategyContext {
  method: string;
  request: { header: Record<string, string | string[] | undefined>; origin?: string; path?: string };
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

// What a request without a token may do; frozen, so the ability cache keys it once.
const PUBLIC_ROLE: readonly string[] = Object.freeze(["public"]);

// The form every client of ours sends (RFC 6750 §2.1); any other spelling takes readBearerToken's path.
const BEARER_PREFIX = "Bearer ";

export function createKeycloakStrategy(deps: KeycloakStrategyDeps) {
  const anonymous = async (ctx: StrategyContext): Promise<StrategyResult> => {
    const scopes = scopesOf(ctx);
    if (scopes.length > 0) {
      const ability = await deps.abilities.forRoles(PUBLIC_ROLE);
      if (scopes.every((scope) => ability.can(scope))) return { authenticated: true, credentials: null, ability };
    }
    throw new AuthError("missing_token");
  };

  const authenticate = async (ctx: StrategyContext): Promise<StrategyResult> => {
    try {
      const header = ctx.request.header.authorization;
      const authorization = Array.isArray(header) ? header[0] : header;
      // Roles are applied per token, from its own claims: the verified token
      // carries them (mapped once per token, policy.roles), not a side table.
      let verified: CmsAccessToken | undefined;
      let token: string | undefined;
      let scheme: "Bearer" | "DPoP" = "Bearer";
      // A client repeats the same header until it refreshes. `Bearer <token>`
      // with a token verified before parses to exactly that token (a compact
      // JWS has no spaces and only b64token characters), so the repeat skips
      // readBearerToken's pass over the whole header.
      if (deps.verifiedTokens && authorization?.startsWith(BEARER_PREFIX)) {
        const candidate = authorization.slice(BEARER_PREFIX.length);
        verified = deps.verifiedTokens.recall(candidate, deps.now());
      }
      if (verified === undefined) {
        const presented = deps.clients ? readAuthorization(authorization) : undefined;
        token = deps.clients ? presented?.token : readBearerToken(authorization);
        if (token === undefined) return await anonymous(ctx);
        scheme = presented?.scheme ?? "Bearer";
        verified = deps.verifiedTokens
          ? await deps.verifiedTokens.verify(token, deps.now())
          : await verifyAccessToken(token, deps.policy, deps.keys, deps.now());
      }
      const actions = scopesOf(ctx);
      const client = await deps.clients?.admit(
        { scheme, token: verified.token, claims: verified.claims },
        {
          method: ctx.method,
          // Read only for a DPoP proof's htu: Koa's origin getter reads and joins several headers.
          get origin() {
            return ctx.request.origin ?? "";
          },
          get path() {
            return ctx.request.path ?? "";
          },
          dpopHeader: ctx.request.header.dpop,
          actions,
        },
        deps.now(),
      );
      await deps.liveness.check(verified, READ_METHODS.has(ctx.method));

      const { claims } = verified;
      const { primaryRole, withPublic } = verified.roles;
      const user = await deps.users.resolve({
        keycloakSub: claims.sub,
        username: claims.preferredUsername ?? claims.email ?? claims.sub,
        // A service account is never a person: no email, its own kind of user.
        email: client?.kind === "service" ? null : (claims.email ?? null),
        confirmed: client?.kind === "service" ? false : claims.emailVerified,
        roleId: primaryRole === undefined ? null : deps.roleIdOf(primaryRole),
        ...(client ? { kind: client.kind } : {}),
      });
      if (user.blocked) throw new AuthError("user_blocked");
      let ability: Ability = await deps.abilities.forRoles(withPublic);
      if (client && deps.clients) {
        // Effective rights = role ∩ scopes: a right the role has but the token's scopes do not open is a 403 insufficient_scope.
        const missing = deps.clients.missingScopes(client, claims, actions, ability);
        if (missing.length > 0) {
          ctx.state[MISSING_SCOPE_STATE] = missing.join(" ");
          throw new AuthError("insufficient_scope");
        }
        ability = deps.clients.limit(client, claims, ability);
      }

      ctx.state.user = user;
      // Step-up is about how a person authenticated (RFC 9470); a service
      // account has no person and no acr: its rights are its role ∩ its scopes.
      if (client?.kind !== "service") ctx.state[STEP_UP_CLAIMS_STATE] = { acr: claims.acr, authTime: claims.authTime } satisfies StepUpClaims;
      return { authenticated: true, credentials: user, ability };
    } catch (caught) {
      const error = asAuthError(caught);
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
