// RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme is
// case-insensitive (RFC 9110 §11.1). Tokens in the query string (§2.3) are not
// accepted: they end up in logs.
import { AuthError } from "./auth-error";

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The bearer token, or undefined when the request carries no credentials. */
export function readBearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.trim() === "") return undefined;
  const match = BEARER.exec(authorization);
  if (!match) throw new AuthError("malformed_token");
  return match[1];
}
