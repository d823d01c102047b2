import "server-only";
import { randomUUID } from "node:crypto";
import { TtlCache } from "@stack/keycloak-tokens";
import type { ActiveSession } from "./session-lookup";

/**
 * The request header that carries what the proxy learned about the session
 * to the render of the same request, so a page view reads the cookie and the
 * token store once (in the proxy), not twice. The proxy and the render run in
 * one server process (the auth parts are one per process, wiring.ts), so the
 * header carries only a random id (122 bits) of an entry the proxy left in
 * this process's memory; the session itself never travels in a header. The
 * proxy always replaces whatever a client sent under this name, an id nobody
 * left here finds nothing, and an entry lives HANDOFF_MAX_AGE_MS: then the
 * render looks the session up itself (decision 0066).
 */
export const SESSION_HANDOFF_HEADER = "x-session-handoff";
/** The render reads the hand-off as it starts, milliseconds after the proxy left it; a long render has read it by then. */
export const HANDOFF_MAX_AGE_MS = 10_000;
/** At a few hundred page views a second, a few thousand live entries of about 2 KB; beyond this the oldest go first. */
const MAX_ENTRIES = 20_000;

export interface SessionHandoff {
  /** Leaves what the proxy found (`null`: no session) for the render; returns the header value. */
  put(active: ActiveSession | null): string;
  /** What the proxy found (`active: null` is "no session"), or undefined when there is no such hand-off (any more). */
  take(value: string | null): { active: ActiveSession | null } | undefined;
}

export function createSessionHandoff(options: { now?: () => number; maxEntries?: number } = {}): SessionHandoff {
  const entries = new TtlCache<string, { active: ActiveSession | null }>({
    maxEntries: options.maxEntries ?? MAX_ENTRIES,
    ttlMs: HANDOFF_MAX_AGE_MS,
    now: options.now,
  });
  return {
    put(active) {
      const id = randomUUID();
      entries.set(id, { active });
      return id;
    },
    // Not removed on reading: a render may ask more than once (React's request cache is per bundle).
    take: (value) => (value ? entries.get(value) : undefined),
  };
}
