// Everything the CLI asks Keycloak, through panva's openid-client: discovery,
// the device authorization grant (RFC 8628) with DPoP-bound tokens (RFC 9449),
// refresh, and revocation at logout.
import { exportJWK, importJWK, type JWK } from "jose";
import * as client from "openid-client";
import type { CliConfig } from "./cli-config.ts";
import { CliError, type StoredSession } from "./token-store.ts";

const DPOP_ALG = "ES256";
/** Refresh this many seconds before the access token's expiry (clock skew, request time). */
const EXPIRY_MARGIN_SECONDS = 30;

/** The realm's metadata and the `cli` client (public: no secret). */
export async function connect(config: CliConfig): Promise<client.Configuration> {
  const options = config.issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined;
  try {
    return await client.discovery(config.issuer, config.clientId, undefined, client.None(), options);
  } catch (error) {
    if (error instanceof TypeError) {
      throw new CliError(`Cannot reach Keycloak at ${config.issuer.href} (${reason(error)}). Is it running? Set --issuer or NOTES_CLI_ISSUER to the realm's URL.`);
    }
    throw new CliError(`${config.issuer.href} does not answer as an OpenID issuer (${reason(error)}). Set --issuer or NOTES_CLI_ISSUER to the realm's URL, e.g. http://localhost:8080/realms/app.`);
  }
}

/** The device flow: shows where to go and which code to enter, then waits for the approval. */
export async function login(oidc: client.Configuration, config: CliConfig, say: (line: string) => void): Promise<StoredSession> {
  const keyPair = await client.randomDPoPKeyPair(DPOP_ALG, { extractable: true });
  const device = await client.initiateDeviceAuthorization(oidc, { scope: config.scope });
  say("To sign in, open this address in a browser:");
  say(`  ${device.verification_uri_complete ?? device.verification_uri}`);
  say(`and check that it shows the code ${device.user_code}. Waiting for your approval…`);
  const tokens = await client.pollDeviceAuthorizationGrant(oidc, device, undefined, { DPoP: client.getDPoPHandle(oidc, keyPair) });
  return toSession(config, tokens, (await exportJWK(keyPair.privateKey)) as StoredSession["dpopPrivateJwk"]);
}

/** The session's DPoP key as the handle openid-client signs proofs with. */
export async function dpopHandle(oidc: client.Configuration, session: StoredSession): Promise<client.DPoPHandle> {
  const { d: _private, ...publicJwk } = session.dpopPrivateJwk;
  const privateKey = (await importJWK(session.dpopPrivateJwk as JWK, DPOP_ALG)) as CryptoKey;
  const publicKey = (await importJWK(publicJwk as JWK, DPOP_ALG, { extractable: true })) as CryptoKey;
  return client.getDPoPHandle(oidc, { privateKey, publicKey });
}

/** The session with an access token that is still valid: refreshed (same DPoP key) when it expired. */
export async function freshSession(oidc: client.Configuration, config: CliConfig, session: StoredSession, dpop: client.DPoPHandle): Promise<StoredSession> {
  if (session.expiresAt - EXPIRY_MARGIN_SECONDS > Date.now() / 1000) return session;
  if (!session.refreshToken) throw new CliError("Your access token expired and there is no refresh token. Run: notes-cli login");
  const tokens = await client.refreshTokenGrant(oidc, session.refreshToken, undefined, { DPoP: dpop });
  return toSession(config, tokens, session.dpopPrivateJwk, session.refreshToken);
}

/** Revokes the refresh token (RFC 7009): Keycloak ends this client's part of the session. */
export async function revoke(oidc: client.Configuration, session: StoredSession): Promise<void> {
  if (!session.refreshToken) return;
  await client.tokenRevocation(oidc, session.refreshToken, { token_type_hint: "refresh_token" });
}

function toSession(config: CliConfig, tokens: client.TokenEndpointResponse, dpopPrivateJwk: StoredSession["dpopPrivateJwk"], previousRefreshToken?: string): StoredSession {
  if (tokens.token_type.toLowerCase() !== "dpop") {
    throw new CliError(`Keycloak issued a ${tokens.token_type} token, not a DPoP-bound one: the client "${config.clientId}" must have "dpop.bound.access.tokens" on.`);
  }
  return {
    issuer: config.issuer.href,
    clientId: config.clientId,
    accessToken: tokens.access_token,
    expiresAt: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 60),
    refreshToken: tokens.refresh_token ?? previousRefreshToken,
    scope: tokens.scope,
    dpopPrivateJwk,
  };
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
