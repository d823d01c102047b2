import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { TokenError, type TokenErrorCode } from "../src/token-error.ts";
import { JwksKeyStore } from "../src/jwks-key-store.ts";
import { verifyAccessToken, type AccessTokenPolicy } from "../src/verify-access-token.ts";
import {
  ISSUER,
  NOW_SECONDS,
  accessTokenClaims,
  b64url,
  generateSigningKey,
  jwksFetch,
  localKeyStore,
  POLICY,
  signAccessToken,
  signRaw,
} from "./support/local-issuer.ts";

const policy: AccessTokenPolicy = POLICY;
const NOW_MS = NOW_SECONDS * 1000;
const key = generateSigningKey("realm-key-1");
const otherKey = generateSigningKey("realm-key-1");

let keys: JwksKeyStore;
beforeEach(() => {
  keys = localKeyStore({ fetch: jwksFetch([key]).fetch, now: () => NOW_MS });
});

const verify = (token: string, at = NOW_MS, p = policy) => verifyAccessToken(token, p, keys, at);

async function rejection(promise: Promise<unknown>): Promise<TokenErrorCode> {
  const error = await promise.then(
    () => {
      throw new Error("expected the token to be rejected");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return (error as TokenError).code;
}

const withClaims = (overrides: Record<string, unknown>) => signAccessToken(key, accessTokenClaims(overrides));
const without = (claim: string) => {
  const claims = accessTokenClaims();
  delete claims[claim];
  return signAccessToken(key, claims);
};

describe("verifyAccessToken", () => {
  it("accepts a realm access token and returns the claims the CMS uses", async () => {
    const { claims } = await verify(signAccessToken(key));
    expect(claims).toMatchObject({
      sub: "4c1f2b6e-0000-4000-8000-00000000a11c",
      sid: "5d2b6f7e-0000-4000-8000-0000000005e5",
      azp: "web",
      email: "alice@example.com",
      emailVerified: true,
      preferredUsername: "alice@example.com",
    });
    expect(claims.realmRoles).toEqual(["default-roles-app", "user", "offline_access"]);
  });

  describe("issuer, audience, authorized party", () => {
    it("rejects another issuer, even one differing only by a trailing slash", async () => {
      expect(await rejection(verify(withClaims({ iss: "http://keycloak.test/realms/other" })))).toBe("invalid_issuer");
      expect(await rejection(verify(withClaims({ iss: `${ISSUER}/` })))).toBe("invalid_issuer");
      expect(await rejection(verify(without("iss")))).toBe("invalid_issuer");
    });

    it("requires the API audience in aud, as a string or in an array", async () => {
      await expect(verify(withClaims({ aud: "cms" }))).resolves.toBeDefined();
      expect(await rejection(verify(withClaims({ aud: "account" })))).toBe("invalid_audience");
      expect(await rejection(verify(withClaims({ aud: ["account", "web"] })))).toBe("invalid_audience");
      expect(await rejection(verify(without("aud")))).toBe("invalid_audience");
      expect(await rejection(verify(withClaims({ aud: { cms: true } })))).toBe("invalid_audience");
    });

    it("requires azp in the allow-list", async () => {
      expect(await rejection(verify(withClaims({ azp: "admin-cli" })))).toBe("invalid_authorized_party");
      expect(await rejection(verify(without("azp")))).toBe("invalid_authorized_party");
      await expect(verify(withClaims({ azp: "mobile" }), NOW_MS, { ...policy, allowedAzp: ["web", "mobile"] })).resolves.toBeDefined();
    });
  });

  describe("token type", () => {
    it.each([["ID"], ["Refresh"], ["Logout"], ["bearer"], [undefined]])("rejects typ %s", async (typ) => {
      const claims = accessTokenClaims({ typ });
      if (typ === undefined) delete claims.typ;
      expect(await rejection(verify(signAccessToken(key, claims)))).toBe("invalid_token_type");
    });

    it("rejects a header typ other than a JWT access token", async () => {
      expect(await rejection(verify(signAccessToken(key, accessTokenClaims(), { typ: "logout+jwt" })))).toBe(
        "invalid_token_type",
      );
      await expect(verify(signAccessToken(key, accessTokenClaims(), { typ: "at+jwt" }))).resolves.toBeDefined();
    });
  });

  describe("time claims with leeway", () => {
    it("rejects an expired token once the leeway has passed", async () => {
      const token = withClaims({ exp: NOW_SECONDS - 3 });
      await expect(verify(token)).resolves.toBeDefined();
      expect(await rejection(verify(token, (NOW_SECONDS + 2) * 1000))).toBe("token_expired");
      expect(await rejection(verify(withClaims({ exp: NOW_SECONDS - 60 })))).toBe("token_expired");
    });

    it("rejects nbf and iat in the future beyond the leeway", async () => {
      await expect(verify(withClaims({ nbf: NOW_SECONDS + 4 }))).resolves.toBeDefined();
      expect(await rejection(verify(withClaims({ nbf: NOW_SECONDS + 30 })))).toBe("token_not_yet_valid");
      expect(await rejection(verify(withClaims({ iat: NOW_SECONDS + 30 })))).toBe("token_not_yet_valid");
    });

    it("requires numeric exp and iat", async () => {
      expect(await rejection(verify(without("exp")))).toBe("invalid_claims");
      expect(await rejection(verify(without("iat")))).toBe("invalid_claims");
      expect(await rejection(verify(withClaims({ exp: String(NOW_SECONDS + 300) })))).toBe("invalid_claims");
      expect(await rejection(verify(withClaims({ nbf: "soon" })))).toBe("invalid_claims");
    });
  });

  it("requires a non-empty string sub", async () => {
    expect(await rejection(verify(without("sub")))).toBe("invalid_claims");
    expect(await rejection(verify(withClaims({ sub: "" })))).toBe("invalid_claims");
    expect(await rejection(verify(withClaims({ sub: 42 })))).toBe("invalid_claims");
    expect(await rejection(verify(withClaims({ sub: "x".repeat(256) })))).toBe("invalid_claims");
  });

  describe("algorithms and signatures", () => {
    it("rejects alg none", async () => {
      const token = `${b64url(JSON.stringify({ alg: "none", kid: key.kid }))}.${b64url(JSON.stringify(accessTokenClaims()))}.`;
      expect(await rejection(verify(token))).toBe("malformed_token");
      const withSignature = `${token}c2ln`;
      expect(await rejection(verify(withSignature))).toBe("unsupported_algorithm");
    });

    it("rejects HS256 signed with the realm's public key (algorithm confusion)", async () => {
      const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: key.kid }));
      const payload = b64url(JSON.stringify(accessTokenClaims()));
      for (const secret of [
        key.publicKey.export({ type: "spki", format: "pem" }),
        Buffer.from(String(key.jwk.n), "base64url"),
      ]) {
        const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
        expect(await rejection(verify(`${header}.${payload}.${signature}`))).toBe("unsupported_algorithm");
      }
    });

    it("rejects a valid RSA algorithm outside the allow-list", async () => {
      const token = signRaw(JSON.stringify({ alg: "RS512", kid: key.kid }), JSON.stringify(accessTokenClaims()), key, "RSA-SHA512");
      expect(await rejection(verify(token))).toBe("unsupported_algorithm");
    });

    it("rejects a tampered payload and a token signed by another key with the same kid", async () => {
      const [header, , signature] = signAccessToken(key).split(".");
      const forged = b64url(JSON.stringify(accessTokenClaims({ sub: "someone-else" })));
      expect(await rejection(verify(`${header}.${forged}.${signature}`))).toBe("invalid_signature");
      expect(await rejection(verify(signAccessToken(otherKey)))).toBe("invalid_signature");
    });

    it("rejects a kid the realm does not publish", async () => {
      expect(await rejection(verify(signAccessToken(generateSigningKey("not-published"))))).toBe("unknown_key");
      expect(await rejection(verify(signAccessToken(key, accessTokenClaims(), { kid: "../../../../etc/passwd" })))).toBe(
        "unknown_key",
      );
    });

    it("rejects a missing, non-string, oversized or control-character kid", async () => {
      for (const kid of [undefined, 7, "", "k".repeat(300), "key\u0000id", "key id"]) {
        const header: Record<string, unknown> = { alg: "RS256", kid };
        if (kid === undefined) delete header.kid;
        const token = signRaw(JSON.stringify(header), JSON.stringify(accessTokenClaims()), key);
        expect(await rejection(verify(token))).toBe("malformed_token");
      }
    });

    it.each(["jku", "jwk", "x5u", "x5c", "crit"])("rejects a token carrying a %s header", async (name) => {
      const values: Record<string, unknown> = {
        jku: "https://attacker.example/jwks.json",
        jwk: key.jwk,
        x5u: "https://attacker.example/cert.pem",
        x5c: ["MIIB"],
        crit: ["exp"],
      };
      const token = signAccessToken(key, accessTokenClaims(), { [name]: values[name] });
      expect(await rejection(verify(token))).toBe("unsupported_header");
    });
  });

  describe("malformed input", () => {
    it.each([
      ["empty", ""],
      ["one segment", "abc"],
      ["two segments", "abc.def"],
      ["five segments (JWE)", "a.b.c.d.e"],
      ["padding", "eyJhbGciOiJSUzI1NiJ9=.e30.c2ln"],
      ["spaces", "eyJh bGci.e30.c2ln"],
      ["standard base64 characters", "eyJhbGci+/==.e30.c2ln"],
      ["impossible base64 length", "a.e30.c2ln"],
      ["header is not JSON", `${b64url("not json")}.e30.c2ln`],
      ["header is a JSON array", `${b64url("[1,2]")}.e30.c2ln`],
      ["header is a JSON string", `${b64url('"RS256"')}.e30.c2ln`],
      ["header is not UTF-8", `${b64url(Buffer.from([0xff, 0xfe, 0x7b]))}.e30.c2ln`],
      ["payload is not JSON", `${b64url('{"alg":"RS256","kid":"k"}')}.${b64url("{")}.c2ln`],
    ])("rejects %s", async (_name, token) => {
      expect(await rejection(verify(token))).toBe("malformed_token");
    });

    it("rejects duplicate member names in the payload and in the header", async () => {
      const claims = JSON.stringify(accessTokenClaims());
      const duplicateSub = claims.replace('"sub":', '"sub":"attacker","sub":');
      expect(await rejection(verify(signRaw(JSON.stringify({ alg: "RS256", kid: key.kid }), duplicateSub, key)))).toBe(
        "malformed_token",
      );
      const duplicateAlg = `{"alg":"none","alg":"RS256","kid":"${key.kid}"}`;
      expect(await rejection(verify(signRaw(duplicateAlg, claims, key)))).toBe("malformed_token");
    });

    it("rejects a token larger than the limit before parsing it", async () => {
      const token = withClaims({ padding: "x".repeat(9000) });
      expect(await rejection(verify(token))).toBe("token_too_large");
      await expect(verify(token, NOW_MS, { ...policy, maxTokenBytes: 65536 })).resolves.toBeDefined();
    });

    it("does not let a __proto__ claim change the claims object", async () => {
      const payload = JSON.stringify(accessTokenClaims()).replace("{", '{"__proto__":{"polluted":true},');
      const claims = await verify(signRaw(JSON.stringify({ alg: "RS256", kid: key.kid }), payload, key));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((claims as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
