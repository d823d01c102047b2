import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { AuthError } from "../src/auth/token/auth-error";
import { normalizedHtu, verifyDpopProof, type DpopPolicy } from "../src/auth/dpop/verify-dpop-proof";

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const URL_ = "https://api.example.com/api/notes";
const TOKEN = "header.payload.signature";
const policy: DpopPolicy = { algorithms: ["ES256", "RS256"], maxAgeSeconds: 60, leewaySeconds: 5, maxProofBytes: 8192 };
const ath = createHash("sha256").update(TOKEN).digest("base64url");

let privateKey: CryptoKey;
let jwk: JWK;
let jkt: string;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  privateKey = pair.privateKey;
  jwk = await exportJWK(pair.publicKey);
  jkt = await calculateJwkThumbprint(jwk);
});

function memoryReplay() {
  const seen = new Set<string>();
  return { remember: async (id: string) => (seen.has(id) ? false : (seen.add(id), true)) };
}

async function proof(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: CryptoKey, publicJwk?: JWK) {
  key ??= privateKey;
  publicJwk ??= jwk;
  return new SignJWT({ htm: "GET", htu: URL_, iat: NOW, jti: randomUUID(), ath, ...claims })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: publicJwk, ...header })
    .sign(key);
}

const request = (proofHeader: string | string[] | undefined, overrides = {}) => ({ proofHeader, method: "GET", url: URL_, accessToken: TOKEN, jkt, ...overrides });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("verifyDpopProof", () => {
  it("accepts a proof that matches the request, the token and its key, once", async () => {
    const replay = memoryReplay();
    const one = await proof();
    expect(await codeOf(verifyDpopProof(request(one), policy, replay, NOW_MS))).toBe("accepted");
    expect(await codeOf(verifyDpopProof(request(one), policy, replay, NOW_MS))).toBe("dpop_proof_replayed");
  });

  it("needs exactly one proof", async () => {
    const replay = memoryReplay();
    expect(await codeOf(verifyDpopProof(request(undefined), policy, replay, NOW_MS))).toBe("dpop_proof_missing");
    expect(await codeOf(verifyDpopProof(request(`${await proof()}, ${await proof()}`), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
    expect(await codeOf(verifyDpopProof(request([await proof(), await proof()]), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
  });

  it("refuses another typ, an algorithm off the list, a private key in the header, or a bad signature", async () => {
    const replay = memoryReplay();
    expect(await codeOf(verifyDpopProof(request(await proof({}, { typ: "JWT" })), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
    const privateJwk = await exportJWK(privateKey);
    expect(await codeOf(verifyDpopProof(request(await proof({}, {}, privateKey, privateJwk)), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
    const tampered = (await proof()).replace(/\.[^.]+$/, ".AAAA");
    expect(await codeOf(verifyDpopProof(request(tampered), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
    const hmac = await new SignJWT({ htm: "GET", htu: URL_, iat: NOW, jti: "x", ath }).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt" }).sign(new Uint8Array(32));
    expect(await codeOf(verifyDpopProof(request(hmac), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
    const es384 = await generateKeyPair("ES384");
    const other = await new SignJWT({ htm: "GET", htu: URL_, iat: NOW, jti: "y", ath })
      .setProtectedHeader({ alg: "ES384", typ: "dpop+jwt", jwk: await exportJWK(es384.publicKey) })
      .sign(es384.privateKey);
    expect(await codeOf(verifyDpopProof(request(other), policy, replay, NOW_MS))).toBe("dpop_proof_invalid");
  });

  it("refuses another method, another URL, a stale or future iat, a missing jti, a wrong ath", async () => {
    const replay = memoryReplay();
    const cases: Record<string, unknown>[] = [
      { htm: "POST" },
      { htu: "https://api.example.com/api/articles" },
      { iat: NOW - 61 },
      { iat: NOW + 30 },
      { jti: undefined },
      { ath: createHash("sha256").update("another").digest("base64url") },
      { ath: undefined },
    ];
    for (const claims of cases) expect(await codeOf(verifyDpopProof(request(await proof(claims)), policy, replay, NOW_MS)), JSON.stringify(claims)).toBe("dpop_proof_invalid");
  });

  it("compares htu without query and fragment, with scheme and host case and default ports normalised", async () => {
    const replay = memoryReplay();
    const withQuery = await proof({ htu: "HTTPS://API.example.com:443/api/notes?page=2#top" });
    expect(await codeOf(verifyDpopProof(request(withQuery), policy, replay, NOW_MS))).toBe("accepted");
    expect(normalizedHtu("http://localhost:1337/api/notes?x=1")).toBe("http://localhost:1337/api/notes");
    expect(normalizedHtu("ftp://example.com/")).toBeUndefined();
  });

  it("refuses a proof signed by another key than the token's cnf.jkt, without using up its jti", async () => {
    const replay = memoryReplay();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsaJwk = await exportJWK(rsa.publicKey);
    const jti = randomUUID();
    const wrongKey = await new SignJWT({ htm: "GET", htu: URL_, iat: NOW, jti, ath })
      .setProtectedHeader({ alg: "RS256", typ: "dpop+jwt", jwk: rsaJwk })
      .sign(rsa.privateKey);
    expect(await codeOf(verifyDpopProof(request(wrongKey), policy, replay, NOW_MS))).toBe("dpop_key_mismatch");
    expect(await codeOf(verifyDpopProof(request(await proof({ jti })), policy, replay, NOW_MS))).toBe("accepted");
  });
});
