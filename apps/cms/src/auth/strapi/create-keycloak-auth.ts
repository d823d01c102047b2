// Wires the Keycloak strategy for one Strapi process from the validated config:
// one JWKS store, one session check, one user cache and one ability cache,
// shared by every request.
import type { Core } from "@strapi/strapi";
import type { CmsConfig } from "../../cms-config";
import { JwksKeyStore, VerifiedTokenCache } from "@stack/keycloak-tokens";
import { AbilityCache } from "../roles/ability-cache";
import { createStrapiRoleAbilityLoader } from "../roles/strapi-role-abilities";
import { createRevocation } from "../session/create-revocation";
import { SessionLivenessCheck } from "../session/session-liveness-check";
import { accessTokenPolicy } from "../token/access-token-policy";
import { createStrapiUserStore } from "../users/strapi-user-store";
import { UserProvisioner } from "../users/user-provisioner";
import { createKeycloakStrategy } from "./keycloak-strategy";
import { createClientGate } from "../clients/client-gate";
import { DpopReplayTable } from "../dpop/dpop-replay-table";

// Keycloak being unreachable can fail every request; say so at most this often.
const UNREACHABLE_LOG_INTERVAL_MS = 30_000;

export function createKeycloakAuth(strapi: Core.Strapi, config: CmsConfig) {
  const kc = config.keycloak;
  const cacheTtlMs = config.authCache.ttlSeconds * 1000;
  const maxEntries = config.authCache.maxEntries;

  const keys = new JwksKeyStore({
    jwksUrl: kc.jwksUrl,
    algorithms: kc.algorithms,
    cooldownMs: kc.jwksCooldownSeconds * 1000,
    maxAgeMs: kc.jwksMaxAgeSeconds * 1000,
    leewayMs: kc.clockLeewaySeconds * 1000,
    timeoutMs: kc.httpTimeoutMs,
    onFetchError: (error) =>
      strapi.log.warn(`Keycloak JWKS fetch from ${kc.jwksUrl} failed (${describe(error)}); keeping the keys we have.`),
  });

  let lastUnreachableLog = 0;
  const liveness = new SessionLivenessCheck({
    introspectionUrl: kc.introspectionUrl,
    clientId: kc.cmsClientId,
    clientSecret: kc.cmsClientSecret ?? "",
    windowMs: kc.revocationWindowSeconds * 1000,
    unreachablePolicy: kc.introspectionUnreachable,
    maxStalenessMs: kc.introspectionMaxStalenessSeconds * 1000,
    timeoutMs: kc.httpTimeoutMs,
    maxEntries,
    onUnreachable: (reason) => {
      const now = Date.now();
      if (now - lastUnreachableLog < UNREACHABLE_LOG_INTERVAL_MS) return;
      lastUnreachableLog = now;
      strapi.log.warn(
        `Keycloak introspection at ${kc.introspectionUrl} unavailable (${reason}); applying policy "${kc.introspectionUnreachable}".`,
      );
    },
  });

  // KEYCLOAK_REVOCATION: pushed revocations, with the introspection check above as the fallback.
  const revocation = createRevocation(strapi, config, keys, liveness);

  const users = new UserProvisioner(createStrapiUserStore(strapi), { ttlMs: cacheTtlMs, maxEntries });
  const abilities = new AbilityCache(createStrapiRoleAbilityLoader(strapi), { ttlMs: cacheTtlMs, maxEntries: 1000 });
  let roleIds = new Map<string, number>();

  const policy = accessTokenPolicy(kc);
  const strategy = createKeycloakStrategy({
    policy,
    keys,
    verifiedTokens: new VerifiedTokenCache({ policy, keys, maxEntries }),
    liveness: revocation.check,
    users,
    abilities,
    roleIdOf: (type) => roleIds.get(type) ?? null,
    now: Date.now,
    clients: createClientGate({
      table: config.apiClients.table,
      dpop: config.apiClients.dpop,
      replay: new DpopReplayTable(strapi.db.connection),
      publicUrl: config.apiClients.publicUrl,
    }),
  });

  return {
    strategy,
    keys,
    revocation,
    users,
    abilities,
    setRoleIds(ids: Map<string, number>) {
      roleIds = ids;
    },
  };
}

export type KeycloakAuth = ReturnType<typeof createKeycloakAuth>;

function describe(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return "unknown error";
}
