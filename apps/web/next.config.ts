import type { NextConfig } from "next";
import { securityHeaders } from "./src/server/http/security-headers";

const nextConfig: NextConfig = {
  // The browser never needs to know which framework serves it.
  poweredByHeader: false,
  // ioredis must stay a runtime `require`: bundling it breaks its optional-dependency probing.
  serverExternalPackages: ["ioredis"],
  // The workspace's token verifier ships TypeScript sources (packages/keycloak-tokens); Next compiles them.
  transpilePackages: ["@stack/keycloak-tokens"],
  // The dev server logs request URLs; the OAuth callback's carries a one-time authorization code.
  logging: { incomingRequests: { ignore: [/\/api\/auth\/callback\//] } },
  // Every response, static files and 404s included. HSTS depends on WEB_URL,
  // which is known only at run time, so the proxy adds it (src/proxy.ts).
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
