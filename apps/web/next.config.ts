import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The browser never needs to know which framework serves it.
  poweredByHeader: false,
  // ioredis must stay a runtime `require`: bundling it breaks its optional-dependency probing.
  serverExternalPackages: ["ioredis"],
  // The dev server logs request URLs; the OAuth callback's carries a one-time authorization code.
  logging: { incomingRequests: { ignore: [/\/api\/auth\/callback\//] } },
};

export default nextConfig;
