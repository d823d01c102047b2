import { generateKeyPairSync } from "node:crypto";
import { errors } from "@strapi/utils";
import { beforeEach, describe, expect, it } from "vitest";
import { AUTH_ERROR_CODES, AuthError } from "../src/auth/token/auth-error";
import { authErrorResponse } from "../src/auth/strapi/auth-error-response";
import {
  AUTH_FAILURE_STATE,
  createKeycloakStrategy,
  type Ability,
  type KeycloakStrategyDeps,
  type StrategyContext,
} from "../src/auth/strapi/keycloak-strategy";
import type { CmsUser, UserProfile } from "../src/auth/users/user-store";
import { VerifiedTokenCache } from "@stack/keycloak-tokens";
import { tokenRolesFor } from "../src/auth/token/access-token-policy";
import { hostileTokens } from "./support/hostile-tokens";
import { NOW_SECONDS, POLICY as REALM_POLICY, accessTokenClaims, generateSigningKey, jwksFetch, localKeyStore, signAccessToken } from "../../../packages/keycloak-tokens/test/support/local-issuer.ts";

const key = generateSigningKey("realm-key");
const POLICY = { ...REALM_POLICY, roles: tokenRolesFor };
const PERMISSIONS: Record<string, string[]> = {
  public: ["api::article.article.find"],
  authenticated: ["api::note.note.find", "api::note.note.create", "api::article.article.find"],
  editor: ["api::article.article.create"],
};
const ROLE_IDS: Record<string, number> = { public: 2, authenticated: 1, editor: 3 };

function setup() {
  const liveness = { calls: [] as { isRead: boolean }[], revoked: false };
  const profiles: UserProfile[] = [];
  const user = { blocked: false };
  const deps: KeycloakStrategyDeps = {
    policy: POLICY,
    keys: localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => NOW_SECONDS * 1000 }),
    liveness: {
      async check(_token, isRead) {
        liveness.calls.push({ isRead });
        if (liveness.revoked) throw new AuthError("session_revoked");
      },
    },
    users: {
      async resolve(profile): Promise<CmsUser> {
        profiles.push(profile);
        return { id: 7, documentId: "doc-7", blocked: user.blocked, ...profile, kind: profile.kind ?? "person" };
      },
    },
    abilities: {
      async forRoles(roleTypes): Promise<Ability> {
        const granted = new Set(roleTypes.flatMap((type) => PERMISSIONS[type] ?? []));
        return { can: (action) => granted.has(action) };
      },
    },
    roleIdOf: (type) => ROLE_IDS[type] ?? null,
    now: () => NOW_SECONDS * 1000,
  };
  return { deps, strategy: createKeycloakStrategy(deps), liveness, profiles, user };
}

const context = (authorization: string | undefined, scope: string, method = "GET"): StrategyContext => ({
  method,
  request: { header: authorization === undefined ? {} : { authorization } },
  state: { route: { config: { auth: { scope: [scope] } } } },
});

let env: ReturnType<typeof setup>;
beforeEach(() => {
  env = setup();
});

describe("Keycloak strategy: authenticate", () => {
  it("authenticates a valid token: user from the token, ability from the realm roles", async () => {
    const ctx = context(`Bearer ${signAccessToken(key)}`, "api::note.note.find");
    const result = await env.strategy.authenticate(ctx);
    expect(result.authenticated).toBe(true);
    expect(result.credentials).toMatchObject({ id: 7, keycloakSub: "4c1f2b6e-0000-4000-8000-00000000a11c" });
    expect(ctx.state.user).toBe(result.credentials);
    expect(result.ability?.can("api::note.note.find")).toBe(true);
    expect(result.ability?.can("api::article.article.create")).toBe(false);
    expect(env.profiles[0]).toEqual({
      keycloakSub: "4c1f2b6e-0000-4000-8000-00000000a11c",
      username: "alice@example.com",
      email: "alice@example.com",
      confirmed: true,
      roleId: ROLE_IDS.authenticated,
    });
  });

  it("maps the editor realm role: union of permissions, editor as the stored role", async () => {
    const claims = accessTokenClaims({ realm_access: { roles: ["user", "editor", "default-roles-app"] } });
    const result = await env.strategy.authenticate(context(`Bearer ${signAccessToken(key, claims)}`, "api::article.article.create", "POST"));
    expect(result.ability?.can("api::article.article.create")).toBe(true);
    expect(result.ability?.can("api::note.note.find")).toBe(true);
    expect(env.profiles[0]?.roleId).toBe(ROLE_IDS.editor);
  });

  it("gives a token without mapped roles only what the public role may do", async () => {
    const claims = accessTokenClaims({ realm_access: { roles: ["offline_access"] } });
    const result = await env.strategy.authenticate(context(`Bearer ${signAccessToken(key, claims)}`, "api::note.note.find"));
    expect(result.authenticated).toBe(true);
    expect(result.ability?.can("api::note.note.find")).toBe(false);
    expect(result.ability?.can("api::article.article.find")).toBe(true);
    expect(env.profiles[0]?.roleId).toBeNull();
  });

  it("tells the revocation check whether the request is a read", async () => {
    const token = signAccessToken(key);
    await env.strategy.authenticate(context(`Bearer ${token}`, "api::note.note.find", "GET"));
    await env.strategy.authenticate(context(`Bearer ${token}`, "api::note.note.create", "POST"));
    expect(env.liveness.calls).toEqual([{ isRead: true }, { isRead: false }]);
  });

  it("refuses a revoked session and a blocked user with their codes", async () => {
    env.liveness.revoked = true;
    const revoked = context(`Bearer ${signAccessToken(key)}`, "api::note.note.find");
    expect((await env.strategy.authenticate(revoked)).error).toBeDefined();
    expect(revoked.state[AUTH_FAILURE_STATE]).toBe("session_revoked");

    env.liveness.revoked = false;
    env.user.blocked = true;
    const blocked = context(`Bearer ${signAccessToken(key)}`, "api::note.note.find");
    expect((await env.strategy.authenticate(blocked)).error).toBeDefined();
    expect(blocked.state[AUTH_FAILURE_STATE]).toBe("user_blocked");
    expect(blocked.state.user).toBeUndefined();
  });

  it("lets an anonymous request through with the public ability only where the public role may act", async () => {
    const publicRoute = context(undefined, "api::article.article.find");
    const result = await env.strategy.authenticate(publicRoute);
    expect(result).toMatchObject({ authenticated: true, credentials: null });

    const privateRoute = context(undefined, "api::note.note.find");
    const refused = await env.strategy.authenticate(privateRoute);
    expect(refused.authenticated).toBeUndefined();
    expect(refused.error).toBeDefined();
    expect(privateRoute.state[AUTH_FAILURE_STATE]).toBe("missing_token");
  });

  it("does not swallow unexpected failures (they are server errors, not bad tokens)", async () => {
    const failing = createKeycloakStrategy({ ...env.deps, users: { resolve: async () => Promise.reject(new Error("db down")) } });
    await expect(failing.authenticate(context(`Bearer ${signAccessToken(key)}`, "api::note.note.find"))).rejects.toThrow("db down");
  });
});

describe("Keycloak strategy: repeats of a verified token", () => {
  async function withCache() {
    const clock = { ms: NOW_SECONDS * 1000 };
    const keys = localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => clock.ms });
    // As at start-up (index.ts bootstrap warms the key store before any request).
    await keys.warmUp();
    let lookups = 0;
    const keyFor = keys.keyFor.bind(keys);
    keys.keyFor = (...args) => {
      lookups++;
      return keyFor(...args);
    };
    const verifiedTokens = new VerifiedTokenCache({ policy: POLICY, keys, maxEntries: 100, now: () => clock.ms });
    const strategy = createKeycloakStrategy({ ...env.deps, keys, verifiedTokens, now: () => clock.ms });
    return { strategy, clock, lookups: () => lookups };
  }
  const codeOf = async (strategy: ReturnType<typeof createKeycloakStrategy>, authorization: string) => {
    const ctx = context(authorization, "api::note.note.find");
    const result = await strategy.authenticate(ctx);
    return result.authenticated ? "authenticated" : ctx.state[AUTH_FAILURE_STATE];
  };

  it("verifies a repeated header once, and still checks the session and the user on every request", async () => {
    const { strategy, lookups } = await withCache();
    const authorization = `Bearer ${signAccessToken(key)}`;
    for (let i = 0; i < 3; i++) expect(await codeOf(strategy, authorization)).toBe("authenticated");
    expect(lookups()).toBe(1);
    expect(env.liveness.calls).toHaveLength(3);
    expect(env.profiles).toHaveLength(3);

    env.liveness.revoked = true;
    expect(await codeOf(strategy, authorization)).toBe("session_revoked");
    env.liveness.revoked = false;
    env.user.blocked = true;
    expect(await codeOf(strategy, authorization)).toBe("user_blocked");
  });

  it("refuses a remembered token once it has expired", async () => {
    const { strategy, clock } = await withCache();
    const authorization = `Bearer ${signAccessToken(key)}`;
    expect(await codeOf(strategy, authorization)).toBe("authenticated");
    clock.ms = (NOW_SECONDS + 300 + POLICY.clockLeewaySeconds) * 1000;
    expect(await codeOf(strategy, authorization)).toBe("token_expired");
  });

  it("parses any other spelling of a remembered token's header as before", async () => {
    const { strategy, lookups } = await withCache();
    const token = signAccessToken(key);
    expect(await codeOf(strategy, `Bearer ${token}`)).toBe("authenticated");
    expect(await codeOf(strategy, `bearer   ${token}  `)).toBe("authenticated");
    expect(await codeOf(strategy, `Bearer ${token} ${token}`)).toBe("malformed_token");
    expect(await codeOf(strategy, `Bearer ${token}\t`)).toBe("malformed_token");
    expect(await codeOf(strategy, `Bearer  ${token}.x`)).toBe("malformed_token");
    expect(lookups()).toBe(1);
  });

  it("applies each token's own realm roles, request after request", async () => {
    const { strategy } = await withCache();
    const user = signAccessToken(key, accessTokenClaims({ jti: "user-token" }));
    const editor = signAccessToken(key, accessTokenClaims({ jti: "editor-token", realm_access: { roles: ["user", "editor"] } }));
    for (let i = 0; i < 2; i++) {
      const asUser = await strategy.authenticate(context(`Bearer ${user}`, "api::article.article.create", "POST"));
      const asEditor = await strategy.authenticate(context(`Bearer ${editor}`, "api::article.article.create", "POST"));
      expect(asUser.ability?.can("api::article.article.create")).toBe(false);
      expect(asEditor.ability?.can("api::article.article.create")).toBe(true);
    }
    expect(env.profiles.map((profile) => profile.roleId)).toEqual([ROLE_IDS.authenticated, ROLE_IDS.editor, ROLE_IDS.authenticated, ROLE_IDS.editor]);
  });
});

describe("Keycloak strategy: verify", () => {
  const ability: Ability = { can: (action) => action === "api::note.note.find" };
  const user = { id: 1 } as CmsUser;

  it("allows a scope the ability grants and forbids one it does not", () => {
    expect(() => env.strategy.verify({ credentials: user, ability }, { scope: ["api::note.note.find"] })).not.toThrow();
    expect(() => env.strategy.verify({ credentials: user, ability }, { scope: "api::note.note.delete" })).toThrow(errors.ForbiddenError);
  });

  it("is null-safe: no auth or no ability is unauthorized, an unscoped route needs credentials", () => {
    expect(() => env.strategy.verify(undefined, { scope: ["api::note.note.find"] })).toThrow(errors.UnauthorizedError);
    expect(() => env.strategy.verify({ credentials: null, ability: null }, { scope: ["x"] })).toThrow(errors.UnauthorizedError);
    expect(() => env.strategy.verify({ credentials: null, ability }, {})).toThrow(errors.UnauthorizedError);
    expect(() => env.strategy.verify({ credentials: user, ability }, undefined)).not.toThrow();
  });
});

describe("Keycloak strategy: hostile input", () => {
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const validToken = signAccessToken(key);
  const cases = hostileTokens({
    validToken,
    realmPublicKey: key.publicKey,
    attackerPrivateKey: attacker.privateKey,
    attackerPublicKey: attacker.publicKey,
  });

  it("has at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c.authorization]))("refuses %s with a 401 and a stable code", async (_name, authorization) => {
    const ctx = context(authorization, "api::note.note.find");
    const result = await env.strategy.authenticate(ctx);
    expect(result.authenticated).not.toBe(true);
    const code = ctx.state[AUTH_FAILURE_STATE] as (typeof AUTH_ERROR_CODES)[number];
    expect(AUTH_ERROR_CODES).toContain(code);
    const response = authErrorResponse(code, "cms");
    expect(response.status).toBe(401);
    const body = JSON.stringify(response.body);
    expect(body).not.toContain(validToken.split(".")[2]);
    expect(response.headers["WWW-Authenticate"]).toMatch(/^Bearer /);
  });
});
