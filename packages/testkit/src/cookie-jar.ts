// The cookie jar of the runner's Keycloak sign-in (stack/src/sign-in/), which
// tests also use to hold a web session over plain HTTP.
export { CookieJar, fetchWithJar } from "@stack/runner/sign-in/cookie-jar";
