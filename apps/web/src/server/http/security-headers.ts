/** One response header. */
export interface Header {
  key: string;
  value: string;
}

// Strict-Transport-Security over TLS (RFC 6797): a year, subdomains included.
// No `preload`: that is a commitment the deployment makes, not the app.
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Headers every response carries. The CSP is the part that needs no nonces:
 * no page of ours may be framed (clickjacking of the account buttons), no
 * plugin content, no `<base>` from elsewhere. The Referrer-Policy keeps full
 * URLs same-origin only; `no-referrer` would make browsers send `Origin: null`
 * on form POSTs, which the server actions' origin check refuses.
 * `Strict-Transport-Security` only when the app is served over https
 * (`webUrl`); browsers ignore it over plain http anyway.
 */
export function securityHeaders(webUrl?: string): Header[] {
  const headers: Header[] = [
    { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  ];
  if (webUrl?.startsWith("https:")) headers.push({ key: "Strict-Transport-Security", value: HSTS });
  return headers;
}
