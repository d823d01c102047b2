/**
 * Hostile return addresses (`returnTo`, `callbackUrl`), written for this
 * project after the usual open-redirect families: other hosts, scheme-relative
 * and backslash tricks, whitespace and control characters a browser drops,
 * userinfo, IP literals in every notation, dangerous schemes, encodings, and
 * input that upsets a router rather than a browser (`[...]` segments, `%`
 * that is not an escape). `{host}` is replaced by the app's own host.
 * Every entry must end up as a path on the app's origin, and none may 500.
 */
const OPEN_REDIRECT_PAYLOADS: readonly string[] = [
  "https://evil.example/",
  "http://evil.example",
  "//evil.example",
  "///evil.example",
  "////evil.example/%2e%2e",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "%2F%2Fevil.example",
  "http:evil.example",
  "http:/evil.example",
  "http:\\\\evil.example",
  "https:evil.example",
  "http:[::216.58.214.206]",
  "http:[::1]",
  "/[::1]",
  "/notes/[documentId]/edit",
  "/[...slug]",
  "http://[::216.58.214.206]/",
  "http://0xd83ad6ce/",
  "http://3627734734/",
  "http://216.58.214.206/",
  "http://0330.072.0326.0316/",
  "http://{host}@evil.example/",
  "http://{host}.evil.example/",
  "http://evil.example#@{host}/",
  "http://evil.example?@{host}/",
  "http://evil.example\\@{host}/",
  "https://{host}/",
  "javascript:alert(document.cookie)",
  "JavaScript:alert(1)",
  "java\tscript:alert(1)",
  "javascript://%0aalert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "//evil.example/%2f..",
  "/%09/evil.example",
  "/%5c%5cevil.example",
  "/%",
  "/%zz",
  "%",
  "?returnTo=//evil.example",
  "#//evil.example",
  "/notes?next=https://evil.example",
  "ｈｔｔｐ://evil.example",
  "//ｅｖｉｌ.example",
  "/\u3002evil.example",
  "//evil%E3%80%82example",
  "http://evil.example%00.{host}/",
  "/" + "a".repeat(3000),
];

/** The payloads for an app served from `origin`. */
export function openRedirectPayloads(origin: string): string[] {
  const host = new URL(origin).host;
  return OPEN_REDIRECT_PAYLOADS.map((payload) => payload.replaceAll("{host}", host));
}
