// DPoP proofs (RFC 9449) as a client makes them, for the tests of the API's DPoP checks: an ES256 key
// whose public JWK rides in each proof's header, and a proof for one method and URL.
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

export interface DpopKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { privateKey, jwk: await exportJWK(publicKey) };
}

/** A proof for `htm` and `htu`, issued now with a fresh jti; `claims` and `header` add or override (a stale iat, an ath). */
export function dpopProof(key: DpopKey, htm: string, htu: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  // setIssuedAt() would overwrite a test's own (stale) iat.
  return new SignJWT({ htm, htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk, ...header })
    .sign(key.privateKey);
}

/** The proof's `ath`: the access token's SHA-256, base64url. */
export function accessTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
