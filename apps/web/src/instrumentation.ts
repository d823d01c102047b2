// Runs once when a server runtime starts: a bad environment stops the server
// with every problem listed, instead of failing on the first request that
// needs it. Next.js only logs an error thrown here and keeps serving 500s, so
// the Node.js server exits. Next.js also loads this file for the Edge runtime,
// which has no `process.exit` (the dev overlay reported that on every page):
// there the check does not run, and the config module is imported only in
// the Node.js runtime so nothing Node-only reaches the Edge bundle.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, webConfig } = await import("@/server/config/web-config");
  try {
    webConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
