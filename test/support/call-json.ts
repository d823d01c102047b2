// One HTTP call to a base URL (a Strapi instance, a proxy), with the body parsed
// when it is JSON. Redirects are not followed: a redirect is an answer too.
export interface JsonResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface JsonCall {
  method?: string;
  token?: string;
  body?: unknown;
}

export async function callJson(baseUrl: string, path: string, call: JsonCall = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  if (call.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${baseUrl}${path}`, {
    method: call.method ?? "GET",
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    redirect: "manual",
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
