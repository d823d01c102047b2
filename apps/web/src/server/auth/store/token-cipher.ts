import "server-only";
import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, randomBytes } from "node:crypto";
import { TtlCache } from "@stack/keycloak-tokens";

/**
 * Seals stored sessions with AES-256-GCM under a key derived from AUTH_SECRET,
 * so a copied store folder or Redis dump does not hand out refresh tokens.
 */
export interface TokenCipher {
  seal(value: unknown): string;
  /** The value, or null when the text was not sealed with this key (rotated secret, tampering). */
  open<T>(sealed: string): T | null;
}

const VERSION = "v1";

export interface TokenCipherOptions {
  /**
   * Remembers what a sealed text opened to, so reading the same stored entry
   * again (a session's every page view, until its tokens are refreshed) skips
   * AES-GCM and JSON parsing. Safe against staleness: a changed entry is a new
   * sealed text (a fresh IV every time). Values come back frozen, as they are
   * shared.
   */
  rememberOpened?: { maxEntries: number; ttlMs: number };
}

/**
 * `purpose` labels the key, so each use of the secret has a key of its own.
 */
export function createTokenCipher(secret: string, purpose = "web token store v1", options: TokenCipherOptions = {}): TokenCipher {
  // HKDF (RFC 5869) with a purpose label keeps this key independent of next-auth's cookie key.
  // A KeyObject, made once: given a Buffer, Node builds a key object on every
  // createCipheriv, about three times the cost of the AES-GCM itself here.
  const key = createSecretKey(Buffer.from(hkdfSync("sha256", secret, "kc-next-strapi", purpose, 32)));
  const opened = options.rememberOpened ? new TtlCache<string, unknown>({ maxEntries: options.rememberOpened.maxEntries, ttlMs: options.rememberOpened.ttlMs }) : undefined;
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
    },
    open<T>(sealed: string) {
      const remembered = opened?.get(sealed);
      if (remembered !== undefined) return remembered as T;
      const [version, iv, body, tag] = sealed.split(".");
      if (version !== VERSION || !iv || !body || !tag) return null;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
        const value = deepFreeze(JSON.parse(text) as T);
        opened?.set(sealed, value);
        return value;
      } catch {
        return null;
      }
    },
  };
}

/** A stable, non-reversible name for a secret value (file names, Redis keys). */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
