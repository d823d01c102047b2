/**
 * The Acme mark, the same drawing as the Keycloak login theme's
 * keycloak/themes/acme/login/resources/img/acme-mark.svg, inlined so the
 * header costs no request. Decorative: the name beside it is the text.
 */
export function AcmeMark() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="32" height="32" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#0f766e" />
      <path d="M32 12 50 52H41.5l-3.6-8.4H26.1L22.5 52H14Zm0 16.5-3.1 8.1h6.2Z" fill="#fff" />
    </svg>
  );
}
