/**
 * Everything the session cookie carries (encrypted by next-auth): our session
 * id, Keycloak's `sid` and `sub`, and display claims from an allow-list.
 * Never a token: those stay in the token store.
 */
export interface SessionClaims {
  sessionId: string;
  sid: string | null;
  sub: string;
  name: string | null;
  email: string | null;
  username: string | null;
}

const DISPLAY_LENGTH_LIMIT = 256;

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value.slice(0, DISPLAY_LENGTH_LIMIT) : null;
}

/** Builds the cookie's claims from the ID token's claims at sign-in. */
export function sessionClaimsFromProfile(sessionId: string, profile: Record<string, unknown>): SessionClaims | null {
  const sub = text(profile.sub);
  if (!sub) return null;
  return {
    sessionId,
    sid: text(profile.sid),
    sub,
    name: text(profile.name) ?? text([profile.given_name, profile.family_name].filter(Boolean).join(" ")),
    email: text(profile.email),
    username: text(profile.preferred_username),
  };
}

/** Reads claims back from a decoded cookie; null when it is not one of ours. */
export function sessionClaimsFromCookie(decoded: Record<string, unknown> | null): SessionClaims | null {
  if (!decoded || typeof decoded.sessionId !== "string" || typeof decoded.sub !== "string") return null;
  return {
    sessionId: decoded.sessionId,
    sid: text(decoded.sid),
    sub: decoded.sub,
    name: text(decoded.name),
    email: text(decoded.email),
    username: text(decoded.username),
  };
}
