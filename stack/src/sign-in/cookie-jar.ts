// A minimal cookie jar for HTTP-level sign-ins (the dev seed, tests): one set
// of cookies per origin (scheme, host and port), which is stricter than a
// browser (cookies ignore ports) but enough to carry a sign-in across the web
// app and Keycloak.

export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  /** Stores the Set-Cookie headers of a response to `url`; expired cookies are removed. */
  store(url: string, response: Response): void {
    const jar = this.jarFor(url);
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const separator = pair.indexOf("=");
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", raw = ""] = attribute.split("=").map((part) => part.trim());
        if (key.toLowerCase() === "max-age") return Number(raw) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(raw) <= Date.now();
        return false;
      });
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  /** The Cookie header for a request to `url` ("" when none). */
  header(url: string): string {
    return [...this.jarFor(url)].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  names(url: string): string[] {
    return [...this.jarFor(url).keys()];
  }

  private jarFor(url: string): Map<string, string> {
    const origin = new URL(url).origin;
    let jar = this.byOrigin.get(origin);
    if (!jar) this.byOrigin.set(origin, (jar = new Map()));
    return jar;
  }
}

/** fetch with the jar's cookies, no automatic redirects; stores the response's cookies. */
export async function fetchWithJar(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set("cookie", cookie);
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(url, response);
  return response;
}
