// throwaway (not committed): approve a device code in Chromium as alice
import { chromium } from "playwright-core";
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
await page.goto(url);
await page.fill("#username", "alice@example.com");
await page.fill("#password", "alice-demo-password");
await page.click("#kc-login");
await page.locator("#kc-oauth").waitFor({ timeout: 30000 });
console.log("consent:", (await page.locator("#kc-oauth").textContent()).replace(/\s+/g, " ").trim());
await page.locator("#kc-login").click();
await page.waitForFunction(() => document.body.textContent.includes("Device Login Successful"), null, { timeout: 30000 });
console.log("approved:", (await page.locator("h1, #kc-page-title").first().textContent()).trim());
await browser.close();
