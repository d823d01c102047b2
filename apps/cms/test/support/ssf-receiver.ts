// What the Shared Signals tests need from the running stack: the receiver's
// health, the push secret infra gave Strapi, and the stream Keycloak holds.
import type { StackEnv } from "@stack/testkit/stack-env";

export interface SsfHealth {
  mode: string;
  pushed: boolean;
  streamRegistered: boolean;
  streamHealthy: boolean;
  lastVerificationAt: string | null;
  lastRevocationAt: string | null;
}

export async function ssfHealth(stack: StackEnv): Promise<SsfHealth> {
  const response = await fetch(`${stack.cmsUrl}/api/ssf/health`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /api/ssf/health answered ${response.status}`);
  return (await response.json()) as SsfHealth;
}

/** Waits until Strapi checks requests against pushed revocations (stream registered and verified). */
export async function untilPushed(stack: StackEnv, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: SsfHealth | undefined;
  while (Date.now() < deadline) {
    last = await ssfHealth(stack).catch(() => undefined);
    if (last?.pushed) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Strapi's Shared Signals stream did not become healthy: ${JSON.stringify(last)}`);
}

/**
 * The cms stream as its receiver sees it (SSF 1.0 §8.1.1.2): a client-credentials token of the `cms`
 * client reads it from the transmitter, which echoes the push authorization header to the receiver
 * that owns the stream. Returns the header Keycloak sends with every push and the SETs' `aud`.
 */
export async function receiverStream(stack: StackEnv): Promise<{ authorization: string; audience: string }> {
  const credentials = Buffer.from(`cms:${encodeURIComponent(stack.cmsClientSecret)}`).toString("base64");
  const tokenResponse = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "ssf.read" }),
  });
  const { access_token } = (await tokenResponse.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the cms client got no token (${tokenResponse.status})`);
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams`, { headers: { authorization: `Bearer ${access_token}`, accept: "application/json" } });
  if (!response.ok) throw new Error(`the transmitter's stream endpoint answered ${response.status}`);
  const [stream] = (await response.json()) as { aud?: string | string[]; delivery?: { authorization_header?: string } }[];
  const audience = Array.isArray(stream?.aud) ? stream.aud[0] : stream?.aud;
  const authorization = stream?.delivery?.authorization_header;
  if (!audience || !authorization) throw new Error("the cms stream has no aud or no push authorization header");
  return { authorization, audience };
}
