// What the Shared Signals tests need from the running stack: the receiver's
// health, the push secret infra gave Strapi, and the stream Keycloak holds
// (read, deleted or paused through Keycloak's SSF API as the receiver).
import type { StackEnv } from "@stack/testkit/stack-env";

export interface SsfHealth {
  mode: string;
  pushed: boolean;
  streamRegistered: boolean;
  streamHealthy: boolean;
  streamState: string;
  lastVerificationAt: string | null;
  resumedAt: string | null;
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
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams`, { headers: { authorization: `Bearer ${await receiverToken(stack, "ssf.read")}`, accept: "application/json" } });
  if (!response.ok) throw new Error(`the transmitter's stream endpoint answered ${response.status}`);
  const [stream] = (await response.json()) as { aud?: string | string[]; delivery?: { authorization_header?: string } }[];
  const audience = Array.isArray(stream?.aud) ? stream.aud[0] : stream?.aud;
  const authorization = stream?.delivery?.authorization_header;
  if (!audience || !authorization) throw new Error("the cms stream has no aud or no push authorization header");
  return { authorization, audience };
}

/** A client-credentials token of the `cms` client, the receiver, with `scope`. */
async function receiverToken(stack: StackEnv, scope: "ssf.read" | "ssf.manage"): Promise<string> {
  const credentials = Buffer.from(`${encodeURIComponent(stack.cmsClientId)}:${encodeURIComponent(stack.cmsClientSecret)}`).toString("base64");
  const response = await fetch(`${stack.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the cms client got no token (${response.status})`);
  return access_token;
}

/** The ids of the streams Keycloak holds for the cms receiver (at most one). */
export async function streamIds(stack: StackEnv): Promise<string[]> {
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams`, { headers: { authorization: `Bearer ${await receiverToken(stack, "ssf.read")}`, accept: "application/json" } });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`the transmitter's stream endpoint answered ${response.status}`);
  const body = (await response.json()) as { stream_id?: string }[] | { stream_id?: string } | null;
  const streams = Array.isArray(body) ? body : body ? [body] : [];
  return streams.map((stream) => stream.stream_id).filter((id): id is string => typeof id === "string");
}

/** Deletes the stream in Keycloak, as an operator or a cleanup script would. */
export async function deleteStream(stack: StackEnv, streamId: string): Promise<void> {
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams?stream_id=${encodeURIComponent(streamId)}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${await receiverToken(stack, "ssf.manage")}` },
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`deleting the stream answered ${response.status}`);
}

/**
 * Sets the stream's status (SSF 1.0 §8.1.2.2). Keycloak's transmitter drops every event of a
 * `disabled` stream, verification events included, and holds those of a `paused` one.
 */
export async function setStreamStatus(stack: StackEnv, streamId: string, status: "enabled" | "paused" | "disabled"): Promise<void> {
  const response = await fetch(`${stack.issuer}/ssf/transmitter/streams/status`, {
    method: "POST",
    headers: { authorization: `Bearer ${await receiverToken(stack, "ssf.manage")}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ stream_id: streamId, status, reason: "stream outage test" }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`setting the stream status to ${status} answered ${response.status}: ${text.slice(0, 200)}`);
  const answered = (JSON.parse(text) as { status?: string }).status;
  if (answered !== status) throw new Error(`the transmitter answered status ${answered} for ${status}`);
}
