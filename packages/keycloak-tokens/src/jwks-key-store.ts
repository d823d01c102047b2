// The realm's public signing keys, shared by every request of the process.
//
// jose's createRemoteJWKSet forgets its keys after its cache age, so a Keycloak
// outage at that moment would fail every request. This store keeps the last good
// key set until a fetch succeeds, refreshes it in the background once it is old
// (so disabled keys drop out), and refetches at once when a token names an
// unknown `kid` (key rotation), at most once per cooldown.
import { importJWK, type JWK } from "jose";
import { TokenError } from "./token-error.ts";

export type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

/** Where a verifier gets the key for a token's `kid` and `alg`. */
export interface KeyResolver {
  /** @param issuedAt the token's (not yet verified) `iat`, epoch seconds. */
  keyFor(kid: string, alg: string, issuedAt: number): Promise<VerificationKey>;
}

export interface JwksKeyStoreOptions {
  jwksUrl: string;
  /** Algorithms the verifier accepts; keys for anything else are ignored. */
  algorithms: readonly string[];
  /** Minimum time between two fetches, ms. */
  cooldownMs: number;
  /** Age after which the key set is refreshed in the background, ms. */
  maxAgeMs: number;
  /** Clock tolerance used to decide whether a refetch can help, ms. */
  leewayMs: number;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onFetchError?: (error: unknown) => void;
}

interface StoredKey {
  jwk: JWK;
  imported: Map<string, Promise<VerificationKey>>;
}

const MAX_JWKS_BYTES = 512 * 1024;

// kty each JWS algorithm family needs (RFC 7518 §3, RFC 8037).
const KTY_FOR_ALG: Record<string, string> = {
  RS256: "RSA", RS384: "RSA", RS512: "RSA", PS256: "RSA", PS384: "RSA", PS512: "RSA",
  ES256: "EC", ES384: "EC", ES512: "EC", EdDSA: "OKP", Ed25519: "OKP",
};

export class JwksKeyStore implements KeyResolver {
  private keys = new Map<string, StoredKey>();
  private keySetVersion = 0;
  private fetchedAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private inflight: Promise<boolean> | undefined;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly options: JwksKeyStoreOptions;

  constructor(options: JwksKeyStoreOptions) {
    this.options = options;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()));
  }

  /**
   * The key for `kid`, usable with `alg`.
   * @param issuedAt the token's (not yet verified) `iat`, epoch seconds: a token
   *   issued before our last fetch cannot be rescued by fetching again.
   */
  async keyFor(kid: string, alg: string, issuedAt: number): Promise<VerificationKey> {
    let stored = this.keys.get(kid);
    if (stored === undefined) {
      if (this.fetchedAt === undefined) {
        // Never fetched (Keycloak was down at start): do not queue callers behind the cooldown.
        if (!(await this.refresh("unless-cooling"))) throw new TokenError("keys_unavailable");
      } else if (issuedAt * 1000 > this.fetchedAt - this.options.leewayMs) {
        // Issued after our copy was taken: the realm may have a new key (rotation).
        if (!(await this.refresh("wait"))) throw new TokenError("keys_unavailable");
      }
      stored = this.keys.get(kid);
      if (stored === undefined) throw new TokenError("unknown_key");
    } else {
      this.keepFresh();
    }
    return this.importFor(stored, alg);
  }

  /** Starts a background refresh when the key set is older than its max age (so withdrawn keys drop out). */
  keepFresh(): void {
    if (this.now() - (this.fetchedAt ?? 0) > this.options.maxAgeMs) void this.refresh("unless-cooling");
  }

  /** Fetches the key set now (used at start-up); false when Keycloak is unreachable. */
  warmUp(): Promise<boolean> {
    return this.refresh("unless-cooling");
  }

  /** Number of usable keys, for diagnostics. */
  get size(): number {
    return this.keys.size;
  }

  /** Changes every time a fetch replaces the key set (the verified-token cache re-verifies then). */
  get version(): number {
    return this.keySetVersion;
  }

  private importFor(stored: StoredKey, alg: string): Promise<VerificationKey> {
    // RFC 7517 §4.4: a key that names its algorithm is used only with it.
    if (stored.jwk.alg !== undefined && stored.jwk.alg !== alg) throw new TokenError("invalid_signature");
    if (KTY_FOR_ALG[alg] !== stored.jwk.kty) throw new TokenError("invalid_signature");
    let imported = stored.imported.get(alg);
    if (imported === undefined) {
      imported = importJWK({ ...stored.jwk, alg }, alg);
      // A key that fails to import is reported as a bad signature, not a 500.
      imported.catch(() => stored.imported.delete(alg));
      stored.imported.set(alg, imported);
    }
    return imported.catch(() => {
      throw new TokenError("invalid_signature");
    });
  }

  /**
   * Single-flight fetch. At most one fetch per cooldown: `wait` queues for the
   * next slot, `unless-cooling` gives up at once. Resolves true when the stored
   * key set is fresh from Keycloak.
   */
  private refresh(mode: "wait" | "unless-cooling"): Promise<boolean> {
    if (this.inflight) return this.inflight;
    const wait = this.lastAttemptAt === undefined ? 0 : this.lastAttemptAt + this.options.cooldownMs - this.now();
    if (wait > 0 && mode === "unless-cooling") return Promise.resolve(false);
    this.inflight = (async () => {
      try {
        if (wait > 0) await this.sleep(wait);
        this.lastAttemptAt = this.now();
        const keys = await this.fetchKeys();
        this.keys = keys;
        this.keySetVersion++;
        this.fetchedAt = this.now();
        return true;
      } catch (error) {
        this.options.onFetchError?.(error);
        return false;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  private async fetchKeys(): Promise<Map<string, StoredKey>> {
    const response = await this.fetchImpl(this.options.jwksUrl, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error("JWKS response too large");
    const body = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error("JWKS response has no keys array");

    const wanted = new Set(this.options.algorithms.map((alg) => KTY_FOR_ALG[alg]));
    const keys = new Map<string, StoredKey>();
    for (const candidate of body.keys as unknown[]) {
      if (!isPublicSigningKey(candidate, wanted)) continue;
      if (candidate.alg !== undefined && !this.options.algorithms.includes(candidate.alg)) continue;
      keys.set(candidate.kid, { jwk: candidate, imported: new Map() });
    }
    return keys;
  }
}

function isPublicSigningKey(value: unknown, kty: ReadonlySet<string | undefined>): value is JWK & { kid: string } {
  if (typeof value !== "object" || value === null) return false;
  const jwk = value as Record<string, unknown>;
  if (typeof jwk.kid !== "string" || jwk.kid === "") return false;
  if (typeof jwk.kty !== "string" || !kty.has(jwk.kty)) return false;
  // Keycloak also publishes encryption keys (use=enc); never verify with those.
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  if (jwk.alg !== undefined && typeof jwk.alg !== "string") return false;
  // A published private or symmetric key is a misconfiguration; refuse it.
  if ("d" in jwk || "k" in jwk) return false;
  return true;
}
