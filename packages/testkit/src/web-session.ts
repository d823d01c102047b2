// Signs a user in to the web app over plain HTTP, the way a browser does:
// next-auth's sign-in POST (with its CSRF token) → Keycloak's login form →
// the callback → the web app's session cookie. Integration tests use the
// resulting session to call pages and routes as that user.
import { CookieJar, fetchWithJar } from "./cookie-jar.ts";
import type { StackEnv } from "./stack-env.ts";

export interface WebSession {
  readonly jar: CookieJar;
  readonly webUrl: string;
  /** Where the sign-in's last redirect pointed (next-auth's sanitised callbackUrl). */
  readonly landedAt: string;
  /** A request to the web app with this session's cookies; redirects are not followed. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface SignInOptions {
  /** Where next-auth sends the browser after the callback (default `/`). */
  callbackUrl?: string;
  /** Extra authorization parameters, appended to the sign-in URL as next-auth expects. */
  authorizationParams?: Record<string, string>;
}

const MAX_REDIRECTS = 10;

export async function signInToWeb(
  stack: Pick<StackEnv, "webUrl">,
  email: string,
  password: string,
  options: SignInOptions = {},
): Promise<WebSession> {
  const jar = new CookieJar();
  const web = stack.webUrl;

  const csrf = await fetchWithJar(jar, `${web}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered HTTP ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };

  const query = new URLSearchParams(options.authorizationParams ?? {});
  const start = await fetchWithJar(jar, `${web}/api/auth/signin/keycloak${query.size ? `?${query}` : ""}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: options.callbackUrl ?? `${web}/` }),
  });
  const authorizationUrl = redirectTarget(start, `${web}/api/auth/signin/keycloak`);

  const loginPage = await fetchWithJar(jar, authorizationUrl);
  if (loginPage.status !== 200) throw new Error(`Keycloak's authorization endpoint answered HTTP ${loginPage.status}, expected its login form`);
  const action = loginFormAction(await loginPage.text(), authorizationUrl);

  let response = await fetchWithJar(jar, action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: email, password, credentialId: "" }),
  });
  if (response.status === 200) throw new Error(`Keycloak did not accept the credentials of ${email} (the login form came back)`);

  // Keycloak → /api/auth/callback/keycloak → callbackUrl: follow until we leave the auth endpoints.
  let url = redirectTarget(response, action);
  for (let hop = 0; hop < MAX_REDIRECTS && url.startsWith(`${web}/api/auth/`); hop += 1) {
    response = await fetchWithJar(jar, url);
    if (response.status < 300 || response.status >= 400) {
      throw new Error(`${new URL(url).pathname} answered HTTP ${response.status} during sign-in`);
    }
    url = redirectTarget(response, url);
  }
  if (new URL(url).pathname.startsWith("/auth-error")) throw new Error(`sign-in ended on the error page: ${url}`);

  return {
    jar,
    webUrl: web,
    landedAt: url,
    fetch: (path, init) => fetchWithJar(jar, new URL(path, web).toString(), init),
  };
}

function redirectTarget(response: Response, requestUrl: string): string {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`expected a redirect from ${new URL(requestUrl).pathname}, got HTTP ${response.status}`);
  }
  return new URL(location, requestUrl).toString();
}

/** The action URL of Keycloak's username/password form (keycloak.v2 and keycloak themes both use `kc-form-login`). */
function loginFormAction(html: string, pageUrl: string): string {
  const form = /<form[^>]*id="kc-form-login"[^>]*>/i.exec(html)?.[0];
  const action = form && /action="([^"]+)"/i.exec(form)?.[1];
  if (!action) {
    // Say which page came instead (an error page of the web app or of Keycloak), never its body.
    const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
    throw new Error(`Keycloak's page has no login form (kc-form-login): ${new URL(pageUrl).origin}${new URL(pageUrl).pathname}${title ? ` titled "${title}"` : ""}`);
  }
  return new URL(action.replaceAll("&amp;", "&"), pageUrl).toString();
}
