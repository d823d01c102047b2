// Real user tokens (for the dev seed, and for tests through the test kit),
// obtained the way the web app obtains them: authorization code + PKCE (RFC
// 7636, S256) against Keycloak's hosted login page, over plain HTTP. The login
// form is read from the HTML, the credentials are posted, the `code` is taken
// from the redirect's Location without following it (nothing needs to listen on
// the redirect URI), and the code is exchanged with the confidential client's
// secret.
//
// Direct-access grants (password grant) are off in the realm on purpose; this
// goes through the same flow, cookies and required-action checks a browser does.
import { createHash, randomBytes } from "node:crypto";
import { CookieJar, fetchWithJar } from "./cookie-jar.ts";
import type { StackEnv } from "../stack-env.ts";

export interface TokenSet {
  access_token: string;
  id_token: string;
  refresh_token: string;
  token_type: string;
  /** Seconds. */
  expires_in: number;
  /** Seconds. */
  refresh_expires_in: number;
  scope: string;
  session_state?: string;
  [member: string]: unknown;
}

export interface TokensForOptions {
  /** Defaults to the stack's realm. */
  realm?: string;
  /** Defaults to the stack's web client. */
  clientId?: string;
  clientSecret?: string;
  /** Must be registered for the client; defaults to the web app's callback. */
  redirectUri?: string;
  /** Defaults to "openid". */
  scope?: string;
  /** A DPoP proof for the token request (RFC 9449 §5), for DPoP-bound tokens; given the token endpoint's URL. */
  dpopProof?: (tokenUrl: string) => Promise<string>;
  /** Per HTTP request, ms; defaults to 30 s. */
  timeoutMs?: number;
}

export type KeycloakLoginErrorCode =
  | "ERR_LOGIN_PAGE"
  | "ERR_LOGIN_REJECTED"
  | "ERR_REQUIRED_ACTION"
  | "ERR_AUTHORIZATION_ERROR"
  | "ERR_STATE_MISMATCH"
  | "ERR_TOKEN_EXCHANGE";

export class KeycloakLoginError extends Error {
  readonly code: KeycloakLoginErrorCode;

  constructor(code: KeycloakLoginErrorCode, message: string) {
    super(message);
    this.name = "KeycloakLoginError";
    this.code = code;
  }
}

const MAX_REDIRECTS = 10;

/** Signs `email` in through Keycloak's login page and returns the client's tokens. */
export async function tokensFor(
  stack: StackEnv,
  email: string,
  password: string,
  options: TokensForOptions = {},
): Promise<TokenSet> {
  const realm = options.realm ?? stack.realm;
  const clientId = options.clientId ?? stack.webClientId;
  const clientSecret = options.clientSecret ?? stack.webClientSecret;
  const redirectUri = options.redirectUri ?? `${stack.webUrl}/api/auth/callback/keycloak`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const realmUrl = `${stack.keycloakUrl}/realms/${encodeURIComponent(realm)}`;

  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const authorizationUrl = new URL(`${realmUrl}/protocol/openid-connect/auth`);
  authorizationUrl.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: options.scope ?? "openid",
    redirect_uri: redirectUri,
    state,
    nonce: randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();

  const browser = new CookieBrowser(timeoutMs);
  let page = await browser.request(authorizationUrl.toString());
  if (page.status !== 200) {
    throw new KeycloakLoginError(
      "ERR_LOGIN_PAGE",
      `Keycloak answered ${page.status} to the authorization request for client ${clientId} in realm ${realm}: ${describePage(page.body)}`,
    );
  }
  const form = findLoginForm(page.body);
  if (!form) {
    throw new KeycloakLoginError("ERR_LOGIN_PAGE", `No login form on Keycloak's page: ${describePage(page.body)}`);
  }

  page = await browser.request(new URL(form.action, page.url).toString(), {
    method: "POST",
    body: new URLSearchParams({ ...form.hidden, username: email, password }),
  });

  // Keycloak may bounce through its own URLs before redirecting to the client.
  for (let hop = 0; page.location !== undefined && !page.location.startsWith(redirectUri); hop++) {
    if (hop >= MAX_REDIRECTS) break;
    page = await browser.request(new URL(page.location, page.url).toString());
  }
  if (page.location === undefined || !page.location.startsWith(redirectUri)) {
    throw classifyStuckLogin(email, page.status, page.body);
  }

  const callback = new URL(page.location);
  const error = callback.searchParams.get("error");
  if (error !== null) {
    throw new KeycloakLoginError(
      "ERR_AUTHORIZATION_ERROR",
      `Keycloak redirected with error=${error} (${callback.searchParams.get("error_description") ?? "no description"})`,
    );
  }
  if (callback.searchParams.get("state") !== state) {
    throw new KeycloakLoginError("ERR_STATE_MISMATCH", "The state returned by Keycloak does not match the one sent.");
  }
  const code = callback.searchParams.get("code");
  if (!code) throw new KeycloakLoginError("ERR_AUTHORIZATION_ERROR", "Keycloak's redirect carries no code.");

  const tokenUrl = `${realmUrl}/protocol/openid-connect/token`;
  // A public client (empty secret) names itself in the body (RFC 6749 §2.3, §4.1.3).
  const publicClient = clientSecret === "";
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: {
      // RFC 6749 §2.3.1: client_secret_basic, id and secret form-urlencoded first.
      ...(publicClient ? {} : { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}` }),
      ...(options.dpopProof ? { dpop: await options.dpopProof(tokenUrl) } : {}),
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...(publicClient ? { client_id: clientId } : {}),
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenSet> & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok || typeof body.access_token !== "string") {
    throw new KeycloakLoginError(
      "ERR_TOKEN_EXCHANGE",
      `Code exchange failed with ${response.status}: ${body.error ?? "no error"} (${body.error_description ?? "no description"})`,
    );
  }
  return body as TokenSet;
}

interface Page {
  url: string;
  status: number;
  location: string | undefined;
  body: string;
}

/** Just enough of a browser: one cookie jar, redirects taken one at a time. */
class CookieBrowser {
  private readonly jar = new CookieJar();
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  async request(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Page> {
    const response = await fetchWithJar(this.jar, url, {
      method: init.method ?? "GET",
      headers: { accept: "text/html,application/xhtml+xml" },
      body: init.body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const location = response.headers.get("location") ?? undefined;
    return {
      url,
      status: response.status,
      location: location === undefined ? undefined : new URL(location, url).toString(),
      body: await response.text(),
    };
  }
}

interface LoginForm {
  action: string;
  hidden: Record<string, string>;
}

/** The form that has a password field; its action and hidden inputs. */
function findLoginForm(html: string): LoginForm | undefined {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, attributes = "", inner = ""] = match;
    if (!/\bname\s*=\s*["']password["']/i.test(inner)) continue;
    const action = attributeOf(attributes, "action");
    if (!action) continue;
    const hidden: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const inputAttributes = input[1] ?? "";
      if ((attributeOf(inputAttributes, "type") ?? "").toLowerCase() !== "hidden") continue;
      const name = attributeOf(inputAttributes, "name");
      if (name) hidden[name] = attributeOf(inputAttributes, "value") ?? "";
    }
    return { action, hidden };
  }
  return undefined;
}

function attributeOf(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "i").exec(attributes);
  const raw = match?.[1] ?? match?.[2];
  return raw === undefined ? undefined : decodeEntities(raw);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? "";
  });
}

function classifyStuckLogin(email: string, status: number, html: string): KeycloakLoginError {
  if (findLoginForm(html)) {
    const feedback = textOf(/<[^>]*(?:id|class)="[^"]*(?:input-error|kc-feedback|alert-error)[^"]*"[^>]*>([\s\S]*?)<\/(?:span|div)>/i, html);
    return new KeycloakLoginError(
      "ERR_LOGIN_REJECTED",
      `Keycloak did not accept the credentials of ${email}${feedback ? `: ${feedback}` : ""}`,
    );
  }
  return new KeycloakLoginError(
    "ERR_REQUIRED_ACTION",
    `Keycloak stopped the sign-in of ${email} on a page instead of redirecting (status ${status}): ${describePage(html)}. ` +
      "A required action (verify email, update password or profile, terms) is pending for this user.",
  );
}

function describePage(html: string): string {
  return textOf(/<title>([\s\S]*?)<\/title>/i, html) ?? textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/i, html) ?? "(no title)";
}

function textOf(pattern: RegExp, html: string): string | undefined {
  const raw = pattern.exec(html)?.[1];
  if (raw === undefined) return undefined;
  const text = decodeEntities(raw.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim();
  return text === "" ? undefined : text;
}
