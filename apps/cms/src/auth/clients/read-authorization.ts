// `Authorization: Bearer <token>` (RFC 6750 §2.1) or `Authorization: DPoP <token>`
// (RFC 9449 §7.1); schemes are case-insensitive (RFC 9110 §11.1).
import { AuthError } from "../token/auth-error";
import { readBearerToken } from "../token/read-bearer-token";

const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The presented token and its scheme, or undefined when the request carries no credentials. */
export function readAuthorization(authorization: string | undefined): { scheme: "Bearer" | "DPoP"; token: string } | undefined {
  if (authorization !== undefined && /^DPoP /i.test(authorization)) {
    const match = DPOP.exec(authorization);
    if (!match) throw new AuthError("malformed_token");
    return { scheme: "DPoP", token: match[1]! };
  }
  const token = readBearerToken(authorization);
  return token === undefined ? undefined : { scheme: "Bearer", token };
}
