import "server-only";
import { createTokenCipher } from "../store/token-cipher";
import type { ActiveSession } from "./session-lookup";

/**
 * The request header that carries what the proxy learned about the session
 * to the render of the same request, so a page view reads the cookie and the
 * token store once (in the proxy), not twice. The proxy always replaces
 * whatever a client sent under this name; the value is sealed with a key of
 * its own (AES-256-GCM) and expires after HANDOFF_MAX_AGE_MS, so a forged,
 * replayed or stale value is ignored and the render looks the session up itself.
 */
export const SESSION_HANDOFF_HEADER = "x-session-handoff";
export const HANDOFF_MAX_AGE_MS = 60_000;

interface Sealed {
  v: 1;
  /** When the proxy looked the session up (epoch ms). */
  at: number;
  active: ActiveSession | null;
}

export interface SessionHandoff {
  seal(active: ActiveSession | null): string;
  /** What the proxy found (`active: null` is "no session"), or undefined when there is no valid hand-off. */
  open(value: string | null): { active: ActiveSession | null } | undefined;
}

export function createSessionHandoff(authSecret: string, now: () => number = Date.now): SessionHandoff {
  const cipher = createTokenCipher(authSecret, "web session handoff v1");
  return {
    seal: (active) => cipher.seal({ v: 1, at: now(), active } satisfies Sealed),
    open(value) {
      if (!value) return undefined;
      const sealed = cipher.open<Sealed>(value);
      if (sealed?.v !== 1 || typeof sealed.at !== "number") return undefined;
      const age = now() - sealed.at;
      if (age < 0 || age > HANDOFF_MAX_AGE_MS) return undefined;
      return { active: sealed.active };
    },
  };
}
