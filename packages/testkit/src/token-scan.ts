// Finds OAuth tokens in text the browser received. Keycloak's access, refresh
// and ID tokens are all JWS compact serialisations (three base64url parts, the
// first a JSON header starting `{"`, hence `eyJ`). next-auth's own cookie and
// state are JWE with `alg: dir` (five parts, empty second part) and are not
// tokens from Keycloak, so they do not match.
const JWS = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;
const TOKEN_FIELDS = /"(access_token|refresh_token|id_token|accessToken|refreshToken|idToken)"/g;

/** Token-like findings, shortened so a failing assertion never prints a whole token. */
export function findTokens(text: string): string[] {
  const found = [...text.matchAll(JWS)].map((match) => `JWS ${match[0].slice(0, 24)}…`);
  found.push(...[...text.matchAll(TOKEN_FIELDS)].map((match) => `field ${match[1]}`));
  return found;
}
