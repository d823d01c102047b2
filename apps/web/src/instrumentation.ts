// Runs once when a server runtime starts. Next.js loads this file for the
// Node.js and the Edge runtime; the check needs Node.js (`process.exit`, which
// the Edge runtime lacks and the dev overlay reported on every page), so it
// lives in instrumentation-node.ts and is imported only in the Node.js runtime
// (Next.js replaces NEXT_RUNTIME at build time).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOrExit } = await import("./instrumentation-node");
    checkConfigOrExit();
  }
}
