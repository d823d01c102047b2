import { ConfigError, webConfig } from "@/server/config/web-config";

/**
 * A bad environment stops the server with every problem listed, instead of
 * failing on the first request that needs it. Next.js only logs an error
 * thrown from `register` and keeps serving 500s, so the process exits.
 */
export function checkConfigOrExit(): void {
  try {
    webConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
