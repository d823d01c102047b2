// A refresh token of the same Keycloak user session the web app signed in
// with: an authorization-code request (PKCE S256) for the web client, sent
// with the browser's Keycloak cookies, which Keycloak answers from the SSO
// session without a login form; the code is exchanged with the client's
// secret. The test stack keeps AUTH_SECRET in memory only, so the web app's
// own stored refresh token cannot be read from outside; this one lives and
// dies with the same Keycloak session.
import { createHash, randomBytes } from "node:crypto";
import { fetchWithJar, type CookieJar } from "@stack/testkit/cookie-jar";
import type { StackEnv } from "@stack/testkit/stack-env";

export async function sameSessionRefreshToken(stack: StackEnv, jar: CookieJar): Promise<string> {
  const redirectUri = `${stack.webUrl}/api/auth/callback/keycloak`;
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${stack.issuer}/protocol/openid-connect/auth`);
  authorize.search = new URLSearchParams({
    client_id: stack.webClientId,
    response_type: "code",
    scope: "openid",
    redirect_uri: redirectUri,
    state: randomBytes(8).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const answer = await fetchWithJar(jar, authorize.toString());
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location?.startsWith(redirectUri)) throw new Error(`Keycloak did not answer from the SSO session (HTTP ${answer.status})`);
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error("Keycloak's redirect carries no code");
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: stack.webClientId,
      client_secret: stack.webClientSecret,
    }),
  });
  const body = (await response.json()) as { refresh_token?: string; error?: string };
  if (!body.refresh_token) throw new Error(`code exchange failed: ${body.error ?? response.status}`);
  return body.refresh_token;
}
