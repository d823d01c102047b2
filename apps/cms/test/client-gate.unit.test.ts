import { describe, expect, it } from "vitest";
import { calculateJwkThumbprint } from "jose";
import { AuthError } from "../src/auth/token/auth-error";
import { createClientGate } from "../src/auth/clients/client-gate";
import { API_CLIENT_TABLE } from "../src/auth/clients/client-table";
import { limitByScopes, missingScopes } from "../src/auth/clients/scope-rights";
import { readAuthorization } from "../src/auth/clients/read-authorization";
import type { AccessTokenClaims } from "@stack/keycloak-tokens";
import { accessTokenHash, dpopKey, dpopProof } from "./support/dpop-proof.ts";

const claims = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  sub: "s",
  sid: "session",
  jti: "j",
  azp: "mobile",
  exp: 2,
  iat: 1,
  realmRoles: ["user"],
  email: "a@example.com",
  emailVerified: true,
  preferredUsername: "a@example.com",
  scopes: ["notes:read"],
  jkt: undefined,
  acr: undefined,
  authTime: undefined,
  ...overrides,
});

const gate = createClientGate({
  table: API_CLIENT_TABLE,
  dpop: { algorithms: ["ES256"], maxAgeSeconds: 60, leewaySeconds: 5, maxProofBytes: 8192 },
  replay: { remember: async () => true },
});
const request = { method: "GET", origin: "http://localhost", path: "/api/notes", dpopHeader: undefined, actions: ["api::note.note.find"] };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("the client gate", () => {
  it("admits the table's clients on their terms", async () => {
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims() }, request, 0))).toBe("accepted");
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims({ azp: "publisher", sid: undefined }) }, request, 0))).toBe("accepted");
  });

  it("refuses a client outside the table, a person's token without a session, Bearer for a DPoP client, a bound token as Bearer", async () => {
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims({ azp: "stranger" }) }, request, 0))).toBe("invalid_authorized_party");
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims({ sid: undefined }) }, request, 0))).toBe("session_required");
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims({ azp: "cli" }) }, request, 0))).toBe("dpop_required");
    expect(await codeOf(gate.admit({ scheme: "Bearer", token: "t", claims: claims({ jkt: "thumb" }) }, request, 0))).toBe("dpop_bound_token_as_bearer");
    expect(await codeOf(gate.admit({ scheme: "DPoP", token: "t", claims: claims() }, request, 0))).toBe("dpop_token_not_bound");
    expect(await codeOf(gate.admit({ scheme: "DPoP", token: "t", claims: claims({ jkt: "thumb" }) }, request, 0))).toBe("dpop_proof_missing");
  });

  it("effective rights are role ∩ scopes for scope-limited clients, the role's for web", () => {
    const role = { can: (action: string) => action.startsWith("api::note.") || action.startsWith("api::article.article.find") };
    const mobile = API_CLIENT_TABLE.find((c) => c.clientId === "mobile")!;
    const web = API_CLIENT_TABLE.find((c) => c.clientId === "web")!;
    const limited = gate.limit(mobile, claims(), role);
    expect(limited.can("api::note.note.find")).toBe(true);
    expect(limited.can("api::note.note.create")).toBe(false);
    expect(limited.can("api::article.article.find")).toBe(true);
    expect(limited.can("api::article.article.create")).toBe(false);
    expect(gate.limit(web, claims({ azp: "web", scopes: [] }), role).can("api::note.note.create")).toBe(true);
    expect(gate.missingScopes(mobile, claims(), ["api::note.note.create", "api::note.note.update"], role)).toEqual(["notes:write"]);
    // An action the role lacks is the role's refusal (403 without a scope), not a missing scope.
    expect(gate.missingScopes(mobile, claims(), ["api::article.article.create"], role)).toEqual([]);
    expect(gate.missingScopes(web, claims({ scopes: [] }), ["api::note.note.create"], role)).toEqual([]);
    expect(missingScopes(["api::article.article.find"], [])).toEqual([]);
    expect(limitByScopes({ can: () => false }, ["notes:read"]).can("api::note.note.find")).toBe(false);
  });

  it("reads Bearer and DPoP authorizations, any case, and refuses a malformed DPoP one", () => {
    expect(readAuthorization("Bearer abc.def.ghi")).toEqual({ scheme: "Bearer", token: "abc.def.ghi" });
    expect(readAuthorization("dpop abc.def.ghi")).toEqual({ scheme: "DPoP", token: "abc.def.ghi" });
    expect(readAuthorization(undefined)).toBeUndefined();
    expect(() => readAuthorization("DPoP a b")).toThrow(AuthError);
  });

  it("compares a DPoP proof's htu with CMS_PUBLIC_URL and the request's path behind a proxy", async () => {
    const key = await dpopKey();
    const jkt = await calculateJwkThumbprint(key.jwk);
    const token = "header.payload.signature";
    const nowMs = Date.now();
    const proof = (htu: string) => dpopProof(key, "GET", htu, { iat: Math.floor(nowMs / 1000), ath: accessTokenHash(token) });
    const dpop = { algorithms: ["ES256"], maxAgeSeconds: 60, leewaySeconds: 5, maxProofBytes: 8192 };
    const replay = { remember: async () => true };
    const behindProxy = createClientGate({ table: API_CLIENT_TABLE, dpop, replay, publicUrl: "https://api.example.com/cms" });
    const direct = createClientGate({ table: API_CLIENT_TABLE, dpop, replay });
    // What Strapi sees behind a TLS-terminating proxy that strips the /cms prefix.
    const seen = { method: "GET", origin: "http://127.0.0.1:1337", path: "/api/notes", actions: ["api::note.note.find"] };
    const presented = { scheme: "DPoP" as const, token, claims: claims({ azp: "cli", jkt }) };
    const publicProof = await proof("https://api.example.com/cms/api/notes");
    expect(await codeOf(behindProxy.admit(presented, { ...seen, dpopHeader: publicProof }, nowMs))).toBe("accepted");
    expect(await codeOf(direct.admit(presented, { ...seen, dpopHeader: await proof("https://api.example.com/cms/api/notes") }, nowMs))).toBe("dpop_proof_invalid");
    // Behind the proxy, a proof for the inner URL, or for another public path, is refused.
    expect(await codeOf(behindProxy.admit(presented, { ...seen, dpopHeader: await proof("http://127.0.0.1:1337/api/notes") }, nowMs))).toBe("dpop_proof_invalid");
    expect(await codeOf(behindProxy.admit(presented, { ...seen, dpopHeader: await proof("https://api.example.com/cms/api/articles") }, nowMs))).toBe("dpop_proof_invalid");
    expect(await codeOf(direct.admit(presented, { ...seen, dpopHeader: await proof("http://127.0.0.1:1337/api/notes") }, nowMs))).toBe("accepted");
  });
});
