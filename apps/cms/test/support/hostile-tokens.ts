// Hostile bearer tokens built from one genuine access token: forgeries,
// algorithm confusion, key-injection headers, kid tricks and malformed
// encodings. Shared by the unit suite (local keys) and the integration suite
// (real Keycloak token against the running Strapi). Every case must be refused
// with 401 and a stable code; none may reach a 500.
import { createHmac, createSign, type KeyObject } from "node:crypto";

export interface HostileCase {
  name: string;
  /** The full Authorization header value. */
  authorization: string;
}

export interface HostileInputs {
  /** A genuine access token the server would accept. */
  validToken: string;
  /** The realm's public key (as published in its JWKS). */
  realmPublicKey: KeyObject;
  /** A key pair the attacker controls. */
  attackerPrivateKey: KeyObject;
  attackerPublicKey: KeyObject;
}

const b64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");
const decode = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as Record<string, unknown>;

export function hostileTokens(inputs: HostileInputs): HostileCase[] {
  const [h, p, s] = inputs.validToken.split(".") as [string, string, string];
  const header = decode(h);
  const claims = decode(p);
  const kid = String(header.kid);

  const hmac = (alg: "HS256" | "HS384" | "HS512", secret: Buffer | string, extra: Record<string, unknown> = {}) => {
    const input = `${b64url(JSON.stringify({ ...header, alg, ...extra }))}.${p}`;
    return `${input}.${createHmac(`sha${alg.slice(2)}`, secret).update(input).digest("base64url")}`;
  };
  const attackerSigned = (headerJson: string, payloadJson: string = JSON.stringify(claims)) => {
    const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
    return `${input}.${createSign("RSA-SHA256").update(input).sign(inputs.attackerPrivateKey, "base64url")}`;
  };
  const withHeader = (extra: Record<string, unknown>) => attackerSigned(JSON.stringify({ ...header, ...extra }));
  const pem = inputs.realmPublicKey.export({ type: "spki", format: "pem" });
  const modulus = Buffer.from(String(inputs.realmPublicKey.export({ format: "jwk" }).n), "base64url");
  const attackerJwk = inputs.attackerPublicKey.export({ format: "jwk" });
  const noneHeader = (alg: string) => b64url(JSON.stringify({ ...header, alg }));

  const cases: [string, string][] = [
    ["alg none without signature", `${noneHeader("none")}.${p}.`],
    ["alg none with the original signature", `${noneHeader("none")}.${p}.${s}`],
    ["alg NONE in capitals", `${noneHeader("NONE")}.${p}.${s}`],
    ["HS256 keyed with the realm's public key PEM", hmac("HS256", pem)],
    ["HS256 keyed with the realm's RSA modulus", hmac("HS256", modulus)],
    ["HS512 keyed with the realm's public key PEM", hmac("HS512", pem)],
    ["RS256 signed by another key under the realm's kid", withHeader({})],
    ["embedded jwk header with the attacker's key", withHeader({ jwk: attackerJwk })],
    ["jku header pointing at the attacker's JWKS", withHeader({ jku: "http://127.0.0.1:1/jwks.json" })],
    ["x5u header pointing at the attacker's certificate", withHeader({ x5u: "http://127.0.0.1:1/cert.pem" })],
    ["x5c header with an attacker certificate chain", withHeader({ x5c: ["MIIBszCCAVmgAwIBAgIUQk"] })],
    ["crit header naming an unknown extension", withHeader({ crit: ["urn:attacker"], "urn:attacker": true })],
    ["kid path traversal", withHeader({ kid: "../../../../../../dev/null" })],
    ["kid SQL injection", withHeader({ kid: "' OR '1'='1' --" })],
    ["kid with a NUL byte", withHeader({ kid: `${kid}\u0000` })],
    ["kid pointing at a URL", withHeader({ kid: "http://127.0.0.1:1/key" })],
    ["payload changed, original signature kept", `${h}.${b64url(JSON.stringify({ ...claims, sub: "00000000-0000-0000-0000-000000000000", realm_access: { roles: ["editor"] } }))}.${s}`],
    ["signature removed", `${h}.${p}.`],
    ["signature truncated", `${h}.${p}.${s.slice(0, 20)}`],
    ["signature bit-flipped", `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`],
    ["duplicate sub claim, re-signed by the attacker", attackerSigned(JSON.stringify(header), JSON.stringify(claims).replace('"sub":', '"sub":"attacker","sub":'))],
    ["duplicate alg header", `${b64url(`{"alg":"none","alg":"RS256","kid":"${kid}"}`)}.${p}.${s}`],
    ["header is not base64url", `!!!.${p}.${s}`],
    ["payload is not base64url", `${h}.%%%%.${s}`],
    ["header decodes to non-JSON", `${b64url("<xml/>")}.${p}.${s}`],
    ["header is a JSON array", `${b64url("[]")}.${p}.${s}`],
    ["base64 with padding", `${h}=.${p}.${s}`],
    ["impossible base64 length", `${h}A.${p}.${s}`],
    ["JWE-shaped token (five segments)", `${h}.${p}.${s}.AAAA.BBBB`],
    ["two segments", `${h}.${p}`],
    ["trailing extra segment", `${inputs.validToken}.extra`],
    ["oversized token (12 KiB)", `${h}.${b64url(JSON.stringify({ ...claims, pad: "x".repeat(9000) }))}.${s}`],
    ["whitespace inside the token", `${h}. ${p}.${s}`],
    ["non-ASCII characters", `${h}.${p}.${s}é`],
  ];
  return [
    ...cases.map(([name, token]) => ({ name, authorization: `Bearer ${token}` })),
    { name: "Basic credentials instead of a bearer token", authorization: `Basic ${b64url("alice@example.com:alice")}` },
    { name: "Bearer scheme without a token", authorization: "Bearer" },
    { name: "token without the Bearer scheme", authorization: inputs.validToken },
  ];
}
