// RFC 9449 §4.3: checks the one DPoP proof of a request against the request and
// the DPoP-bound access token it accompanies. jose verifies the signature with
// the proof's own public key (EmbeddedJWK refuses a private or symmetric one)
// and the `typ`; this adds the claim checks, the key binding and the replay
// check. Throws AuthError; never echoes the proof or the token.
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import { AuthError } from "../token/auth-error";

export interface DpopPolicy {
  /** Asymmetric JWS algorithms a proof may use. */
  algorithms: readonly string[];
  /** A proof's `iat` may be at most this old, seconds. */
  maxAgeSeconds: number;
  /** And at most this far in the future (clock skew), seconds. */
  leewaySeconds: number;
  maxProofBytes: number;
}

export interface DpopReplayStore {
  /** Records the proof id until `expiresAtMs`; false when it was seen before (on any instance). */
  remember(id: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}

export interface DpopRequest {
  /** Every `DPoP` header value of the request (Node joins repeated headers with ", "). */
  proofHeader: string | string[] | undefined;
  method: string;
  /** The request's external URL, without query and fragment (RFC 9449 §4.3 point 9). */
  url: string;
  accessToken: string;
  /** The token's `cnf.jkt`. */
  jkt: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_JTI_LENGTH = 256;

export async function verifyDpopProof(request: DpopRequest, policy: DpopPolicy, replay: DpopReplayStore, nowMs: number): Promise<void> {
  const values = request.proofHeader === undefined ? [] : Array.isArray(request.proofHeader) ? request.proofHeader : [request.proofHeader];
  const proofs = values.flatMap((value) => value.split(",")).map((value) => value.trim());
  if (proofs.length === 0 || (proofs.length === 1 && proofs[0] === "")) throw new AuthError("dpop_proof_missing");
  // §4.3 point 1: exactly one DPoP header.
  if (proofs.length !== 1) throw new AuthError("dpop_proof_invalid");
  const proof = proofs[0]!;
  if (Buffer.byteLength(proof, "utf8") > policy.maxProofBytes || !COMPACT_JWS.test(proof)) throw new AuthError("dpop_proof_invalid");

  let payload: JWTPayload;
  let header: ProtectedHeaderParameters;
  try {
    ({ payload, protectedHeader: header } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [...policy.algorithms] }));
  } catch {
    throw new AuthError("dpop_proof_invalid");
  }

  const now = Math.floor(nowMs / 1000);
  if (payload.htm !== request.method) throw new AuthError("dpop_proof_invalid");
  if (typeof payload.htu !== "string" || normalizedHtu(payload.htu) !== normalizedHtu(request.url)) throw new AuthError("dpop_proof_invalid");
  const iat = payload.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw new AuthError("dpop_proof_invalid");
  if (iat > now + policy.leewaySeconds || iat < now - policy.maxAgeSeconds) throw new AuthError("dpop_proof_invalid");
  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) throw new AuthError("dpop_proof_invalid");
  if (payload.ath !== createHash("sha256").update(request.accessToken, "ascii").digest("base64url")) throw new AuthError("dpop_proof_invalid");

  // §6.1: the token is bound to the proof's key.
  if ((await calculateJwkThumbprint(header.jwk!, "sha256")) !== request.jkt) throw new AuthError("dpop_key_mismatch");

  // Last, so a proof that fails any other check does not use up its jti.
  const id = `${request.jkt}:${jti}`;
  const expiresAtMs = (iat + policy.maxAgeSeconds + policy.leewaySeconds) * 1000;
  if (!(await replay.remember(id, expiresAtMs, nowMs))) throw new AuthError("dpop_proof_replayed");
}

/** RFC 9449 §4.3 point 9 with RFC 3986 §6.2.2–6.2.3 normalisation (scheme, host case, default port); no query or fragment. */
export function normalizedHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}
