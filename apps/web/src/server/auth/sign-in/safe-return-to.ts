/**
 * Reduces a caller-supplied return address (`returnTo`, next-auth's
 * `callbackUrl`) to a path on our own origin, or `fallback`. The input is
 * parsed the way a browser parses a Location header (WHATWG URL: tabs and
 * newlines dropped, `\` read as `/`), so tricks such as `//evil`, `/\evil`,
 * `/\t/evil` or `https://web@evil` resolve to the other host and are refused.
 */
export function safeReturnTo(input: unknown, origin: string, fallback = "/"): string {
  if (typeof input !== "string" || input.length === 0 || input.length > 2048) return fallback;
  let url: URL;
  try {
    url = new URL(input, `${origin}/`);
  } catch {
    return fallback;
  }
  if (url.origin !== origin || (url.protocol !== "http:" && url.protocol !== "https:")) return fallback;
  // `/.//evil` normalises to the path `//evil`, which a browser reads as another host.
  if (url.pathname.startsWith("//")) return fallback;
  // WHATWG URL leaves `[` and `]` unescaped in a path; Next's router reads
  // them as a dynamic segment (`http:[::1]` resolves to `/[::1]`, and <Link>
  // throws on it). Escaped, the path means the same to a server and is inert.
  const path = url.pathname.replace(/\[/g, "%5B").replace(/\]/g, "%5D");
  return `${path}${url.search}${url.hash}`;
}
