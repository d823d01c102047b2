// One HTTP call to the running Strapi, with the body parsed when it is JSON.
import type { StackEnv } from "@stack/testkit/stack-env";

export interface CmsResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CmsCall {
  method?: string;
  token?: string;
  /** The whole Authorization header, when a test needs to send something odd. */
  authorization?: string;
  body?: unknown;
}

export async function callCms(stack: StackEnv, path: string, call: CmsCall = {}): Promise<CmsResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  if (call.authorization !== undefined) headers.authorization = call.authorization;
  if (call.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${stack.cmsUrl}${path}`, {
    method: call.method ?? "GET",
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
