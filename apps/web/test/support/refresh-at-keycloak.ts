// One refresh_token grant at Keycloak with the web client's credentials: what
// anyone holding a stolen refresh token of the app would try.
import type { StackEnv } from "@stack/testkit/stack-env";

/** "ok" when Keycloak issued tokens, otherwise its `error` code. */
export async function refreshAtKeycloak(stack: StackEnv, refreshToken: string): Promise<string> {
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: stack.webClientId, client_secret: stack.webClientSecret }),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return response.ok ? "ok" : (body.error ?? `HTTP ${response.status}`);
}
