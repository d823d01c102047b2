// A fresh `npm start` runs the web app under `next dev`, whose overlay lists
// every runtime issue (an error, a console.error, an API the Edge runtime
// lacks, as `process.exit` once did from instrumentation.ts). The test stack
// runs a production build, so this file starts `next dev` of its own next to
// it (Next 16 builds dev output into .next/dev, apart from the production
// build), with the test stack's settings, and opens the pages a signed-out
// visitor sees. Signed-in pages need Keycloak to redirect to this port, which
// the realm does not allow; they share the layout and instrumentation checked here.
import { createServer } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWeb, webHealthUrl } from "@stack/runner/parts/web-server";
import type { SupervisedChild } from "@stack/runner/process/child-process";
import { waitForHttp } from "@stack/runner/process/wait-for-http";
import { loadStackConfig } from "@stack/runner/stack-config";
import { processEnvironment } from "@stack/runner/stack-env-input";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const PAGES = ["/", "/session-ended", "/sign-in-unavailable", "/auth-error"];
let dev: SupervisedChild | undefined;
let devUrl = "";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  devUrl = `http://localhost:${port}`;
  // The runner's own way to start the web app, as npm start does (next dev), on this port.
  const config = { ...loadStackConfig("test", processEnvironment()), webMode: "dev" as const, webUrl: devUrl };
  dev = startWeb(config, { name: "web-dev-overlay", port });
  await waitForHttp({ url: webHealthUrl(port), timeoutMs: 180_000, child: dev });
  // next dev compiles each page on its first request: slow on a loaded two-core machine.
  for (const path of PAGES) await fetch(`${devUrl}${path}`, { signal: AbortSignal.timeout(240_000) });
}, 900_000);

afterAll(async () => {
  await dev?.stop();
});

/** The number of issues the dev overlay's indicator shows (0 when it shows none). */
async function overlayIssues(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.querySelector("nextjs-portal")?.shadowRoot;
    const count = root?.querySelector("[data-issues-count]")?.textContent ?? "";
    return root?.querySelector("[data-issues]") ? Number.parseInt(count, 10) || 1 : 0;
  });
}

it("next dev: the pages a signed-out visitor sees show no issue in the dev overlay, and the check sees one when there is", async () => {
  const page = await journey.newPage();
  for (const path of PAGES) {
    await page.goto(`${devUrl}${path}`, { waitUntil: "load", timeout: 120_000 });
    await page.locator("nextjs-portal").waitFor({ state: "attached", timeout: 30_000 });
    // Issues arrive after hydration; give the overlay time to list them.
    await page.waitForTimeout(2000);
    expect(await overlayIssues(page), `${path}: dev overlay issues; next dev said:\n${dev?.tail()}`).toBe(0);
  }
  // The same check counts an issue the page really has.
  await page.evaluate(() => console.error("dev overlay probe"));
  await expect.poll(() => overlayIssues(page), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.context().close();
}, 400_000);
