// Real Chromium for flow tests: Debian's package, driven by playwright-core
// (test tools cannot download their own browsers here).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { testEnvironment } from "./stack-env.ts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function chromiumPath(env: Readonly<Record<string, string | undefined>> = testEnvironment()): string {
  const path = env.CHROMIUM_PATH ?? CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path || !existsSync(path)) {
    throw new Error("No Chromium found. Install Debian's package (`apt-get install chromium`) or set CHROMIUM_PATH.");
  }
  return path;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The background-networking flags keep Chromium from calling Google's
    // services, which this machine's closed network refuses.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
