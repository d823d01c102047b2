// The Strapi notes API with a DPoP-bound token: openid-client's
// fetchProtectedResource sends `Authorization: DPoP <token>` and a fresh proof
// (htm, htu, ath) on each request.
import * as client from "openid-client";
import { CliError } from "./token-store.ts";

export interface Note {
  documentId: string;
  title: string;
  body?: string | null;
  createdAt?: string;
}

interface Caller {
  oidc: client.Configuration;
  apiUrl: URL;
  accessToken: string;
  dpop: client.DPoPHandle;
}

export async function listNotes(caller: Caller): Promise<Note[]> {
  const response = await call(caller, "GET", "/api/notes?sort=createdAt:asc");
  return ((await response.json()) as { data: Note[] }).data;
}

export async function addNote(caller: Caller, title: string): Promise<Note> {
  const headers = new Headers({ "content-type": "application/json" });
  const response = await call(caller, "POST", "/api/notes", JSON.stringify({ data: { title } }), headers);
  return ((await response.json()) as { data: Note }).data;
}

/** The API may live under a path (https://example.com/cms): append to it, never resolve from the root. */
export function apiEndpoint(apiUrl: URL, path: string): URL {
  return new URL(`${apiUrl.href.replace(/\/+$/, "")}${path}`);
}

async function call(caller: Caller, method: string, path: string, body?: string, headers?: Headers): Promise<Response> {
  const url = apiEndpoint(caller.apiUrl, path);
  let response: Response;
  try {
    response = await client.fetchProtectedResource(caller.oidc, caller.accessToken, url, method, body, headers, { DPoP: caller.dpop });
  } catch (error) {
    // 401/403 with a WWW-Authenticate challenge are thrown as WWWAuthenticateChallengeError (explain-error.ts).
    if (error instanceof TypeError) throw new CliError(`Cannot reach the API at ${caller.apiUrl.href} (${(error.cause as Error | undefined)?.message ?? error.message}). Set --api-url or NOTES_CLI_API_URL.`);
    throw error;
  }
  if (response.ok) return response;
  throw new CliError(await apiError(response));
}

/** Strapi's error body: { error: { status, name, message } }. */
async function apiError(response: Response): Promise<string> {
  const text = await response.text();
  let message = text.slice(0, 200);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: the text itself
  }
  if (response.status === 403) return `The API refused (403 Forbidden): your account's role does not allow this. ${message}`.trim();
  return `The API answered ${response.status} ${response.statusText}: ${message}`.trim();
}
