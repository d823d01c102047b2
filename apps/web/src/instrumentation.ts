import { ConfigError, webConfig } from "@/server/config/web-config";

// Runs once when the server starts: a bad environment stops the server with
// every problem listed, instead of failing on the first request that needs it.
// Next.js only logs an error thrown here and keeps serving 500s, so exit.
export function register(): void {
  try {
    webConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
