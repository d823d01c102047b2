// Measurement 2: what our verification costs per request against the floor,
// a bare jose RS256 verification of the same token with the same key. Ours is
// the verifier the CMS runs (@stack/keycloak-tokens: verifyAccessToken with its
// JWKS key store), in this process: header and payload checks, key lookup by
// `kid`, signature, claims. That is the cost of a token's first request; its
// repeats are answered by the strategy's VerifiedTokenCache, measured too.
// Batches alternate so that all see the same machine state.
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from "jose";
import { JwksKeyStore, VerifiedTokenCache, verifyAccessToken, type AccessTokenPolicy } from "@stack/keycloak-tokens";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { BenchContext } from "./bench-context.ts";
import { summarize, type Summary } from "./summarize.ts";

export interface VerifyCostResult {
  iterationsPerBatch: number;
  batches: number;
  /** Microseconds per verification. */
  joseJwtVerifyMicros: Summary;
  joseCompactVerifyMicros: Summary;
  oursMicros: Summary;
  /** A repeat of a token that passed (the strategy's VerifiedTokenCache), µs. */
  oursRepeatMicros: Summary;
  /** ours (first sight) / jose jwtVerify, per batch: the target's ratio. */
  ratioVsJwtVerify: Summary;
  /** ours / jose compactVerify (signature only), per batch. */
  ratioVsCompactVerify: Summary;
}

const ITERATIONS = 3_000;
const WARMUP_ITERATIONS = 1_000;

export async function measureVerifyCost(context: BenchContext): Promise<VerifyCostResult> {
  const { env, admin, say } = context;
  const jwksUrl = `${env.issuer}/protocol/openid-connect/certs`;
  // The CMS's defaults (apps/cms/src/cms-config.ts), and a role mapping like its own.
  const keys = new JwksKeyStore({ jwksUrl, algorithms: ["RS256"], cooldownMs: 5_000, maxAgeMs: 300_000, leewayMs: 5_000, timeoutMs: 3_000 });
  if (!(await keys.warmUp())) throw new Error(`could not fetch ${jwksUrl}`);
  const policy: AccessTokenPolicy<{ withPublic: string[] }> = {
    issuer: env.issuer,
    audience: "cms",
    allowedAzp: ["web"],
    algorithms: ["RS256"],
    clockLeewaySeconds: 5,
    maxTokenBytes: 8192,
    roles: (realmRoles) => ({ withPublic: [...realmRoles.filter((role) => role === "user" || role === "editor"), "public"] }),
  };

  const user = await admin.createUser("bench-verify");
  let token: string;
  try {
    token = await admin.withWebAccessTokenLifespan(3600, async () => (await tokensFor(env, user.email, user.password)).access_token);
  } finally {
    await admin.deleteUser(user);
  }
  const { kid } = decodeProtectedHeader(token);
  const jwks = (await (await fetch(jwksUrl)).json()) as { keys: (JWK & { kid: string })[] };
  const jwk = jwks.keys.find((candidate) => candidate.kid === kid);
  if (!jwk) throw new Error(`the realm publishes no key ${kid}`);
  const key = await importJWK({ ...jwk, alg: "RS256" }, "RS256");

  const floor = () => jwtVerify(token, key, { algorithms: ["RS256"] });
  const signatureOnly = () => compactVerify(token, key, { algorithms: ["RS256"] });
  const ours = () => verifyAccessToken(token, policy, keys, Date.now());
  const verifiedTokens = new VerifiedTokenCache({ policy, keys, maxEntries: 10_000 });
  const repeat = () => verifiedTokens.verify(token, Date.now());
  await ours(); // fails loudly here if the token is not accepted at all

  const perOp = async (fn: () => Promise<unknown>, iterations: number): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    return ((performance.now() - started) / iterations) * 1000;
  };
  for (const fn of [floor, signatureOnly, ours, repeat]) await perOp(fn, WARMUP_ITERATIONS);

  const batches = Math.max(5, context.repeat * 3);
  const floorMicros: number[] = [];
  const compactMicros: number[] = [];
  const oursMicros: number[] = [];
  const repeatMicros: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    // Alternate the order so neither always runs right after a GC-heavy neighbour.
    const order = batch % 2 === 0 ? ([floor, signatureOnly, ours, repeat] as const) : ([repeat, ours, signatureOnly, floor] as const);
    const timings = new Map<unknown, number>();
    for (const fn of order) timings.set(fn, await perOp(fn, ITERATIONS));
    floorMicros.push(round(timings.get(floor)!));
    compactMicros.push(round(timings.get(signatureOnly)!));
    oursMicros.push(round(timings.get(ours)!));
    repeatMicros.push(round(timings.get(repeat)!));
  }
  const result: VerifyCostResult = {
    iterationsPerBatch: ITERATIONS,
    batches,
    joseJwtVerifyMicros: summarize(floorMicros),
    joseCompactVerifyMicros: summarize(compactMicros),
    oursMicros: summarize(oursMicros),
    oursRepeatMicros: summarize(repeatMicros),
    ratioVsJwtVerify: summarize(oursMicros.map((value, i) => round(value / floorMicros[i]!))),
    ratioVsCompactVerify: summarize(oursMicros.map((value, i) => round(value / compactMicros[i]!))),
  };
  say(`  verification: ours ${result.oursMicros.median} µs (repeat ${result.oursRepeatMicros.median} µs), jose jwtVerify ${result.joseJwtVerifyMicros.median} µs, ratio ${result.ratioVsJwtVerify.median}x (target <= 2x), medians`);
  return result;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
