/**
 * True for a top-level page load. Next.js prefetches links and fetches RSC
 * payloads in the background; if such a fetch started a sign-in it would
 * overwrite the state, PKCE and callback-url cookies of the sign-in the user
 * actually started, and the callback would fail or land on the wrong page.
 */
export function isPageNavigation(request: Request): boolean {
  const headers = request.headers;
  if (headers.has("rsc") || headers.has("next-router-prefetch") || headers.get("purpose") === "prefetch") return false;
  const destination = headers.get("sec-fetch-dest");
  return destination === null || destination === "document";
}
