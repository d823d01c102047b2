/**
 * True when the request's `Origin` header is exactly the app's public origin
 * (WEB_URL). Next.js checks a server action's Origin against the Host (or
 * X-Forwarded-Host) header, which the client controls behind some proxies;
 * this pins it to the configured origin. A missing Origin is refused:
 * browsers send it on every POST.
 */
export function isSameOrigin(headers: Headers, webUrl: string): boolean {
  const origin = headers.get("origin");
  return origin !== null && origin === new URL(webUrl).origin;
}
